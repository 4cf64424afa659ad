"""Email: messages rendered from templates (chalicelib/templates/email/) and sent with
Amazon SES v2 through the storage layer (`store/mail.py`)."""
