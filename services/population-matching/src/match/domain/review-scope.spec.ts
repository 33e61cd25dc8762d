import { inReviewScope } from './review-scope';

const dienKhanh = new Set(['22651', '22657']);
const vanNinh = new Set(['22525']);

describe('inReviewScope', () => {
  it('gives the review to the branch of the land, not of the receiving commune (ADR 0008)', () => {
    const receivedAtDienDienForVanHung = { communeCode: '22657', landCommuneCodes: ['22525'] };
    expect(inReviewScope(receivedAtDienDienForVanHung, vanNinh)).toBe(true);
    expect(inReviewScope(receivedAtDienDienForVanHung, dienKhanh)).toBe(false);
  });

  it('shows a dossier whose parcels lie in two branches to both', () => {
    const both = { communeCode: '22657', landCommuneCodes: ['22657', '22525'] };
    expect(inReviewScope(both, dienKhanh)).toBe(true);
    expect(inReviewScope(both, vanNinh)).toBe(true);
    expect(inReviewScope(both, new Set(['21439']))).toBe(false);
  });

  it('falls back to the receiving commune for requests recorded without land communes', () => {
    expect(inReviewScope({ communeCode: '22657' }, dienKhanh)).toBe(true);
    expect(inReviewScope({ communeCode: '22657', landCommuneCodes: [] }, vanNinh)).toBe(false);
    expect(inReviewScope({}, dienKhanh)).toBe(false);
  });
});
