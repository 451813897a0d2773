"""Review: the gates that decide which extracted values a person must check.

from contractsync.extraction import AUTO_APPROVE_THRESHOLD
from contractsync.review import ReviewPolicy, gate

policy = ReviewPolicy.from_field_dictionary(AUTO_APPROVE_THRESHOLD)
review = gate(policy, "governing_law", 0.97)   # auto_approved
review = gate(policy, "effective_date", 0.99)  # pending: a critical field
"""

from ._gates import ReviewPolicy, gate, review_state

__all__ = ["ReviewPolicy", "gate", "review_state"]
