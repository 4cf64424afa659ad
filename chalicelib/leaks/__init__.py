"""Leaked credentials: GitHub's secret scanning partner alerts revoke our tokens found in public.

`alerts.handle` is the whole flow: the signature (`signature`, keys from `keys`), the report
(`report`), then each token (`credentials`): checksum first, one read, revoke, audit, notice.
"""
