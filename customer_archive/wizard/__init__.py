from . import customer_archive_formalise_wizard
