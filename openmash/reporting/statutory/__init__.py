"""Statutory exports of identifiable children: the DfE children in need census (XML) and
Ofsted's ILACS Annex A lists 1 and 3 (xlsx). See docs/exports.md and ADR 0006."""
