"""Codes of what reading a run's logs reports (explained by ``specgen rules SG601``...:
specgen.lint.rules.result_rules). Never reused."""

UNREADABLE_LOG = "SG601"  # not a log, too large, malformed: nothing of it is shown
NOT_A_SPEC_RUN = "SG602"  # a log of another task: no specgen metadata
OTHER_SPEC = "SG603"  # run on another spec (version or digest)
MISSING_SAMPLES = "SG604"  # records of the spec with no sample: not measured
CHANGED_RECORD = "SG605"  # a sample of an example that changed since: not shown
UNKNOWN_SAMPLE = "SG606"  # a sample of nothing in this spec
ERRORED_SAMPLE = "SG607"  # a sample that ended in an error: not measured
BAD_SAMPLE = "SG608"  # a sample that cannot be read
NO_RELEASE = "SG609"  # a log that matches no release of a versioned site

ALL = (
    UNREADABLE_LOG,
    NOT_A_SPEC_RUN,
    OTHER_SPEC,
    MISSING_SAMPLES,
    CHANGED_RECORD,
    UNKNOWN_SAMPLE,
    ERRORED_SAMPLE,
    BAD_SAMPLE,
    NO_RELEASE,
)
