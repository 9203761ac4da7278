"""The one vocabulary of roles and permissions. Every gate and scope selector asks this module;
nothing else in the code base checks a role by name."""

from enum import StrEnum


class Role(StrEnum):
    REFERRER = "referrer"
    RESEARCHER = "researcher"
    PRACTITIONER = "practitioner"
    MANAGER = "manager"
    ADMIN = "admin"
    AUDITOR = "auditor"
    ANALYST = "analyst"
    AGENCY_LEAD = "agency_lead"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS: dict[Role, str] = {
    Role.REFERRER: "Referrer",
    Role.RESEARCHER: "Agency researcher",
    Role.PRACTITIONER: "MASH practitioner",
    Role.MANAGER: "MASH manager",
    Role.ADMIN: "Hub administrator",
    Role.AUDITOR: "Quality auditor",
    Role.ANALYST: "Analyst",
    Role.AGENCY_LEAD: "Agency lead (signs documents for the agency)",
}


class Permission(StrEnum):
    CONTACT_SUBMIT = "contact.submit"  # an external referrer's own form
    CONTACT_RECORD = "contact.record"  # a practitioner records a phone or e-mail contact
    CONTACT_VIEW_OWN_SUBMISSIONS = "contact.view_own_submissions"
    CONTACT_VIEW_HUB = "contact.view_hub"
    CONTACT_VIEW_CONFIDENTIAL_ADDRESS = "contact.view_confidential_address"
    SCREENING_RECORD = "screening.record"
    REQUEST_CREATE = "request.create"
    REQUEST_VIEW_OWN_AGENCY = "request.view_own_agency"
    REQUEST_ANSWER = "request.answer"
    DECISION_PROPOSE = "decision.propose"
    DECISION_SIGN_OFF = "decision.sign_off"
    DECISION_DISSENT = "decision.dissent"
    DISSENT_RESOLVE = "dissent.resolve"
    ACTION_UPDATE = "action.update"
    FEEDBACK_SEND = "feedback.send"
    SHARING_LEDGER_VIEW = "sharing.view"
    SHARING_RECORD = "sharing.record"  # record a disclosure, or a decision not to share
    AUDIT_VIEW = "audit.view"
    HUB_CONFIGURE = "hub.configure"
    # Be the second person who approves (or refuses) another administrator's request to grant
    # a role that reads personal data (accounts/role_approvals.py); never one's own request.
    ACCESS_APPROVE = "access.approve"
    INDEX_LOAD = "index.load"  # load an agency's pointer index (own agency; admin: any)
    PERSON_MERGE = "person.merge"  # confirm matches, merge and unmerge hub persons
    AGGREGATES_VIEW = "aggregates.view"  # figures only: dashboards, returns, national view
    RETURN_SUBMIT = "return.submit"  # build and publish the hub's monthly return
    RETURNS_IMPORT = "returns.import"  # load other hubs' returns into the national view
    DATASET_EXPORT = "export.dataset"  # the pseudonymised record-level national dataset
    STATUTORY_EXPORT = "export.statutory"  # CIN census and Annex A: identifiable children
    REFERRAL_PROGRESS_RECORD = "referral.progress"  # assessment, s47 and closure after referral
    GOVERNANCE_VIEW = "governance.view"  # read the hub's definition, documents and thresholds
    GOVERNANCE_MANAGE = "governance.manage"  # definition, leadership, documents, funding
    DOCUMENT_SIGN = "document.sign"  # sign a core document on behalf of one's own agency
    CASE_AUDIT = "quality.audit"  # audit and moderate case files
    QUALITY_MANAGE = "quality.manage"  # audit criteria, improvement actions, theory of change
    FEEDBACK_RECORD = "quality.feedback_record"  # record a family's feedback on their behalf


P = Permission
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.REFERRER: frozenset({P.CONTACT_SUBMIT, P.CONTACT_VIEW_OWN_SUBMISSIONS, P.GOVERNANCE_VIEW}),
    Role.RESEARCHER: frozenset(
        {
            P.REQUEST_VIEW_OWN_AGENCY,
            P.REQUEST_ANSWER,
            P.INDEX_LOAD,
            P.DECISION_DISSENT,
            P.CONTACT_SUBMIT,
            P.CONTACT_VIEW_OWN_SUBMISSIONS,
            P.GOVERNANCE_VIEW,
        }
    ),
    Role.PRACTITIONER: frozenset(
        {
            P.CONTACT_RECORD,
            P.CONTACT_VIEW_HUB,
            P.CONTACT_VIEW_CONFIDENTIAL_ADDRESS,
            P.SCREENING_RECORD,
            P.REQUEST_CREATE,
            P.DECISION_PROPOSE,
            P.DECISION_DISSENT,
            P.ACTION_UPDATE,
            P.FEEDBACK_SEND,
            P.SHARING_LEDGER_VIEW,
            P.SHARING_RECORD,
            P.PERSON_MERGE,
            P.AGGREGATES_VIEW,
            P.REFERRAL_PROGRESS_RECORD,
            P.GOVERNANCE_VIEW,
            P.FEEDBACK_RECORD,
        }
    ),
    Role.MANAGER: frozenset(
        {
            P.CONTACT_RECORD,
            P.CONTACT_VIEW_HUB,
            P.CONTACT_VIEW_CONFIDENTIAL_ADDRESS,
            P.SCREENING_RECORD,
            P.REQUEST_CREATE,
            P.DECISION_PROPOSE,
            P.DECISION_SIGN_OFF,
            P.DECISION_DISSENT,
            P.DISSENT_RESOLVE,
            P.ACTION_UPDATE,
            P.FEEDBACK_SEND,
            P.SHARING_LEDGER_VIEW,
            P.SHARING_RECORD,
            P.PERSON_MERGE,
            P.AUDIT_VIEW,
            P.ACCESS_APPROVE,
            P.AGGREGATES_VIEW,
            P.RETURN_SUBMIT,
            P.DATASET_EXPORT,
            P.STATUTORY_EXPORT,
            P.REFERRAL_PROGRESS_RECORD,
            P.GOVERNANCE_VIEW,
            P.GOVERNANCE_MANAGE,
            P.CASE_AUDIT,
            P.QUALITY_MANAGE,
            P.FEEDBACK_RECORD,
        }
    ),
    # Configuration, users, governance, the audit of access and the hub's figures; never a
    # child's record: no contact, no record-level export (CIN census and Annex A name each
    # child with a UPN and date of birth; the pseudonymised dataset is still personal data),
    # no family's free text, and the audit trail shows casework only as "changed". The
    # statutory returns are the MASH manager's (the LA's performance team works under them).
    # docs/journey.md "Who sees what" is the table of this.
    Role.ADMIN: frozenset(
        {
            P.HUB_CONFIGURE,
            P.ACCESS_APPROVE,
            P.INDEX_LOAD,
            P.AUDIT_VIEW,
            P.AGGREGATES_VIEW,
            P.RETURN_SUBMIT,
            P.RETURNS_IMPORT,
            P.GOVERNANCE_VIEW,
            P.GOVERNANCE_MANAGE,
            P.QUALITY_MANAGE,
        }
    ),
    Role.AUDITOR: frozenset(
        {
            P.CONTACT_VIEW_HUB,
            P.SHARING_LEDGER_VIEW,
            P.AUDIT_VIEW,
            P.AGGREGATES_VIEW,
            P.GOVERNANCE_VIEW,
            P.CASE_AUDIT,
        }
    ),
    # Aggregate-only: never a person, never a record-level extract.
    Role.ANALYST: frozenset(
        {P.AGGREGATES_VIEW, P.RETURN_SUBMIT, P.RETURNS_IMPORT, P.GOVERNANCE_VIEW}
    ),
    # A senior officer of a partner agency: signs the core documents for their agency and
    # follows the hub's figures; never sees a case.
    Role.AGENCY_LEAD: frozenset({P.DOCUMENT_SIGN, P.GOVERNANCE_VIEW, P.AGGREGATES_VIEW}),
}


def permissions_for_roles(roles: list[str] | tuple[str, ...]) -> frozenset[Permission]:
    granted: set[Permission] = set()
    for role in roles:
        if role in Role.__members__.values():
            granted |= ROLE_PERMISSIONS[Role(role)]
    return frozenset(granted)
