"""Case-file audits: an auditor grades a sampled case file against every active criterion and
overall; a second auditor moderates the overall grade."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from openmash.access.checks import require, require_same_hub
from openmash.access.permissions import Permission
from openmash.audit.models import AuditVerb
from openmash.audit.services import audit_record
from openmash.core.errors import Conflict, ValidationError, refused_if_not_unique
from openmash.core.validation import FieldProblems
from openmash.quality.models import AuditCriterion, CaseAudit, CriterionGrade, Grade, SampledContact

from .limits import MAX_COMMENT

if TYPE_CHECKING:
    from openmash.accounts.models import User

ALREADY_AUDITED = "This case file has already been audited."


@dataclass(frozen=True)
class GradeInput:
    grade: str
    comment: str = ""


def _grade_problems(
    criteria: Sequence[AuditCriterion],
    grades: Mapping[str, GradeInput],
    overall_grade: str,
    comments: str,
) -> FieldProblems:
    problems = FieldProblems()
    if not criteria and overall_grade in Grade.values:
        # (An overall grade missing too is said instead, in the same place.)
        problems.add(
            "overall_grade", "The hub has no audit criteria yet: a manager adds them first"
        )
    for criterion in criteria:
        given = grades.get(str(criterion.pk))
        if given is None or given.grade not in Grade.values:
            problems.add(f"grades.{criterion.pk}", f"Choose a grade for: {criterion.question}")
        else:
            problems.check_length(
                f"comments.{criterion.pk}", given.comment, MAX_COMMENT, "The comment"
            )
    if overall_grade not in Grade.values:
        problems.add("overall_grade", "Choose an overall grade")
    problems.check_length("comments", comments, MAX_COMMENT, "Comments")
    return problems


def case_file_audit_record(
    *,
    actor: "User",
    item: SampledContact,
    grades: Mapping[str, GradeInput],
    overall_grade: str,
    comments: str = "",
) -> CaseAudit:
    """Grade a sampled case file against every active criterion (keyed by criterion id) and
    overall. A missing grade refuses the whole case-file audit: nothing is saved."""
    require(actor, Permission.CASE_AUDIT)
    hub = item.sample.hub
    require_same_hub(actor, hub.pk, "Hub not found")
    criteria = list(AuditCriterion.objects.filter(hub=hub, active=True))
    _grade_problems(criteria, grades, overall_grade, comments).raise_if_any()
    with refused_if_not_unique(Conflict(ALREADY_AUDITED)), transaction.atomic():
        if CaseAudit.objects.select_for_update().filter(item=item).exists():
            raise Conflict(ALREADY_AUDITED)
        audit = CaseAudit.objects.create(
            item=item,
            auditor=actor,
            audited_at=timezone.now(),
            overall_grade=overall_grade,
            comments=comments.strip(),
        )
        CriterionGrade.objects.bulk_create(
            CriterionGrade(
                audit=audit,
                criterion=c,
                grade=grades[str(c.pk)].grade,
                comment=grades[str(c.pk)].comment.strip(),
            )
            for c in criteria
        )
        audit_record(
            actor=actor,
            verb=AuditVerb.CASE_AUDIT_RECORDED,
            target=audit,
            hub_id=hub.pk,
            contact_id=item.contact_id,
            changes={
                "overall_grade": overall_grade,
                "grades": {c.code: grades[str(c.pk)].grade for c in criteria},
            },
        )
    return audit


def _moderation_problems(
    audit: CaseAudit, agree: bool | None, grade: str, comment: str
) -> FieldProblems:
    problems = FieldProblems()
    if agree is None:
        problems.add("agree", "Choose whether you agree with the overall grade")
    elif not agree:
        if grade not in Grade.values:
            problems.add("grade", "Choose the grade you give instead")
        elif grade == audit.overall_grade:
            problems.add("grade", "Choose a different grade, or agree with the auditor's")
        if not comment:
            problems.add("comment", "Say why you changed the grade")
    problems.check_length("comment", comment, MAX_COMMENT, "The comment")
    return problems


def case_file_audit_moderate(
    *, actor: "User", audit: CaseAudit, agree: bool | None, grade: str = "", comment: str = ""
) -> CaseAudit:
    """A second auditor (never the one who audited) agrees with the overall grade of a
    case-file audit or changes it, saying why."""
    require(actor, Permission.CASE_AUDIT)
    require_same_hub(actor, audit.item.sample.hub_id, "Hub not found")
    if audit.auditor_id == actor.pk:
        raise ValidationError.for_field(
            "agree", "A second auditor must moderate this audit: you carried it out"
        )
    comment = comment.strip()
    _moderation_problems(audit, agree, grade, comment).raise_if_any()
    with transaction.atomic():
        audit.refresh_from_db(from_queryset=CaseAudit.objects.select_for_update())
        if audit.moderated_at is not None:
            raise Conflict("This audit has already been moderated.")
        audit.moderated_by = actor
        audit.moderated_at = timezone.now()
        audit.moderated_grade = audit.overall_grade if agree else grade
        audit.moderation_comment = comment
        audit.save()
        audit_record(
            actor=actor,
            verb=AuditVerb.CASE_AUDIT_MODERATED,
            target=audit,
            hub_id=audit.item.sample.hub_id,
            contact_id=audit.item.contact_id,
            changes={"overall_grade": [audit.overall_grade, audit.moderated_grade]},
            reason=comment,
        )
    return audit


# The names callers used before "case-file audit" was spelt out.
case_audit_record = case_file_audit_record
case_audit_moderate = case_file_audit_moderate
