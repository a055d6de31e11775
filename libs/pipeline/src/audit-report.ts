import type { AuditMissingFile, AuditState, AuditedCommit, MissingClassification } from '@lakemirror/mirroring';
import type { MirrorAuditEntity } from '@lakemirror/persistence';

/** A consistency audit at a glance, as the status shows its mirror's last one (JSON field names are part of the API). */
export interface AuditSummary {
  audit_id: string;
  state: AuditState;
  /** Once succeeded: "consistent" when nothing is missing, else "inconsistent"; null before, or when the audit failed. */
  result: 'consistent' | 'inconsistent' | null;
  requested_by: string;
  requested_at: string;
  started_at: string | null;
  finished_at: string | null;
  ranges_checked: number;
  ranges_total: number;
  objects_checked: number;
  objects_total: number;
  missing_count: number;
  /** Why the audit could not run to its end (state "failed"). */
  error: string | null;
}

/** The stored report of an audit: what it checked, and every missing file with its key, commit and classification. */
export interface AuditReport extends AuditSummary {
  mirror: string;
  commits: AuditedCommit[];
  objects_outside_namespace: number;
  requests: number;
  classification: Partial<Record<MissingClassification | 'unclassified', number>>;
  missing: AuditMissingFile[];
  /** True when more files are missing than listed (missing_count counts them all). */
  missing_truncated: boolean;
}

const iso = (date: Date | null) => date?.toISOString() ?? null;

export function auditSummaryOf(audit: MirrorAuditEntity): AuditSummary {
  return {
    audit_id: audit.id,
    state: audit.state,
    result: audit.state === 'succeeded' ? (audit.missingCount === 0 ? 'consistent' : 'inconsistent') : null,
    requested_by: audit.requestedBy,
    requested_at: audit.requestedAt.toISOString(),
    started_at: iso(audit.startedAt),
    finished_at: iso(audit.finishedAt),
    ranges_checked: audit.rangesChecked,
    ranges_total: audit.rangesTotal,
    objects_checked: audit.objectsChecked,
    objects_total: audit.objectsTotal,
    missing_count: audit.missingCount,
    error: audit.error,
  };
}

export function auditReportOf(audit: MirrorAuditEntity): AuditReport {
  return {
    ...auditSummaryOf(audit),
    mirror: audit.mirrorId,
    commits: audit.commits,
    objects_outside_namespace: audit.objectsOutsideNamespace,
    requests: audit.requests,
    classification: audit.classification,
    missing: audit.missing,
    missing_truncated: audit.missingCount > audit.missing.length,
  };
}
