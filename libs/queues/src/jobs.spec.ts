import { JOB_QUEUE, jobId, jobsOf } from './jobs';

describe('pipeline jobs', () => {
  it('each queue owns its jobs, and every job lives on exactly one queue', () => {
    expect(jobsOf('mirror-scan')).toEqual(['scan-mirror', 'scan-source']);
    expect(jobsOf('commit-verify')).toEqual(['plan-commit', 'verify-chunk', 'verify-sweep']);
    expect(jobsOf('commit-promote')).toEqual(['commit-verified', 'promote-mirror']);
    expect(jobsOf('mirror-audit')).toEqual(['audit-mirror']);
    expect(Object.keys(JOB_QUEUE)).toHaveLength(8);
  });

  it('derives job IDs from what the job is about, without ":"', () => {
    const chunk = { mirrorId: 'sales-eu', commitId: 'c0ffee', generation: 2, rangeId: 'r1', firstEntry: 5000, endEntry: 10000 };
    const ids = [jobId.scanMirror({ mirrorId: 'sales-eu' }), jobId.planCommit(chunk), jobId.verifyChunk(chunk), jobId.commitVerified(chunk)];
    expect(ids).toEqual(['scan-sales-eu', 'plan-sales-eu-c0ffee-g2', 'verify-sales-eu-c0ffee-g2-r1-5000', 'verified-sales-eu-c0ffee-g2']);
    for (const id of ids) expect(id).not.toContain(':');
    expect(jobId.verifyChunk({ ...chunk, generation: 3 })).not.toBe(jobId.verifyChunk(chunk));
    const audit = jobId.auditMirror({ mirrorId: 'sales-eu', auditId: '6f1c2a9e-0d4b-4c1e-9a57-3b8d2f0e7c11' });
    expect(audit).toBe('audit-sales-eu-6f1c2a9e-0d4b-4c1e-9a57-3b8d2f0e7c11');
    expect(audit).not.toContain(':');
    expect(jobId.scanSource({ sourceRepository: 'sales' })).toBe('source-scan-sales');
    expect(jobId.verifySweep(chunk)).toBe('sweep-sales-eu-c0ffee-g2');
  });
});
