import logging

from tuopin.common.masking import mask_text


class MaskPersonalData(logging.Filter):
    """No ID or phone number reaches a log line unmasked."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask_text(record.getMessage())
        record.args = ()
        return True
