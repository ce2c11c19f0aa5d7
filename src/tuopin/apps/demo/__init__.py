"""The demo county in the database: `tuopin synth` and `tuopin demo`, and the loader that puts the pure
generator's rows (tuopin.synth) into every app's tables. It sits above the other apps: it writes them all."""
