from django.db import models
from django.utils.translation import gettext_lazy as _


class PaymentKind(models.TextChoices):
    POST = "post", _("welfare post wage")            # 公益岗位工资 → the household's wage income
    PUBLIC_WORKS = "public_works", _("public works")  # 小型公益事业: paid to no household
    DIVIDEND = "dividend", _("dividend")              # 分红 → the household's asset-income dividend line


# The income line of the household's yearly record each kind of payment flows into (decision 1512).
LINE_OF = {PaymentKind.POST: "wage_income_fen", PaymentKind.DIVIDEND: "dividend_income_fen"}
# The plan's share that caps each kind of payment.
SHARE_OF = {PaymentKind.POST: "posts_pct", PaymentKind.PUBLIC_WORKS: "public_works_pct",
            PaymentKind.DIVIDEND: "dividends_pct"}
