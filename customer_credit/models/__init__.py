from . import customer_credit_grade
from . import customer_credit_scorecard
from . import customer_credit_indicator
from . import customer_credit_evaluation
from . import customer_credit_evaluation_line
from . import customer_credit_limit_history
from . import res_partner
