import { verificationVerdict } from './verification-verdict';

const checked = { checked: true };
const unchecked = { checked: false };

describe('verificationVerdict', () => {
  it('holds back a pending commit with no chunks: its metarange was never read', () => {
    expect(verificationVerdict({ state: 'pending', chunks: [] })).toEqual({ complete: false, uncheckedChunks: 0, reason: 'not-planned' });
  });

  it('passes a verifying commit with no chunks: it was planned and had nothing to check', () => {
    expect(verificationVerdict({ state: 'verifying', chunks: [] })).toEqual({ complete: true });
  });

  it('holds back a commit with a single unchecked chunk among checked ones, whatever its state', () => {
    for (const state of ['pending', 'verifying'] as const) {
      expect(verificationVerdict({ state, chunks: [checked, unchecked, checked] })).toEqual({
        complete: false,
        uncheckedChunks: 1,
        reason: 'unchecked-chunks',
      });
    }
  });

  it('counts every unchecked chunk', () => {
    expect(verificationVerdict({ state: 'verifying', chunks: [unchecked, unchecked, checked] })).toEqual({
      complete: false,
      uncheckedChunks: 2,
      reason: 'unchecked-chunks',
    });
  });

  it('passes a commit whose chunks are all checked, even one put back to pending by a replan', () => {
    expect(verificationVerdict({ state: 'verifying', chunks: [checked, checked] })).toEqual({ complete: true });
    expect(verificationVerdict({ state: 'pending', chunks: [checked] })).toEqual({ complete: true });
  });

  it('never takes back a commit already verified or recorded', () => {
    expect(verificationVerdict({ state: 'verified', chunks: [unchecked] })).toEqual({ complete: true });
    expect(verificationVerdict({ state: 'recorded', chunks: [] })).toEqual({ complete: true });
  });
});
