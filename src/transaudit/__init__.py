"""transaudit: translation-quality auditor for bilingual Hindi/English digests."""

__version__ = "0.1.0"
