"""The storage layer: the only package that talks to DynamoDB (botocore).

One table, keys described in `infra/TABLE.md`. Each record type has its own
module here; everything above this package sees plain dicts and domain errors.
"""
