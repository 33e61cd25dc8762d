import {
  canonicalName,
  compareNames,
  foldedName,
  fullNameOf,
  hasDiacritics,
  NameOutcome,
  stringSimilarity,
  syllableKey,
} from './vietnamese-name';

describe('Vietnamese name normalisation', () => {
  it('gives both tone-mark placements the same key (hoà/hòa, thuỷ/thủy, uý/úy)', () => {
    expect(syllableKey('hoà')).toBe(syllableKey('hòa'));
    expect(syllableKey('Thuỷ')).toBe(syllableKey('thủy'));
    expect(syllableKey('Quý')).toBe(syllableKey('quí'.replace('í', 'ý')));
    expect(syllableKey('uý')).toBe(syllableKey('úy'));
    expect(canonicalName('Nguyễn Thị Hoà')).toBe(canonicalName('Nguyễn Thị Hòa'));
  });

  it('keeps different tones and letter marks apart (Hùng/Hưng, Hoà/Hoá, Lê/Lệ)', () => {
    expect(syllableKey('Hùng')).not.toBe(syllableKey('Hưng'));
    expect(syllableKey('Hoà')).not.toBe(syllableKey('Hoá'));
    expect(syllableKey('Lê')).not.toBe(syllableKey('Lệ'));
  });

  it('treats NFC and NFD spellings, case and spacing as the same name', () => {
    const nfd = 'Trần Thị Thu Hương'.normalize('NFD');
    expect(nfd).not.toBe('Trần Thị Thu Hương');
    expect(compareNames(nfd, 'Trần Thị Thu Hương').outcome).toBe(NameOutcome.Equivalent);
    expect(compareNames('  TRẦN   thị thu\u00a0HƯƠNG ', 'Trần Thị Thu Hương')).toMatchObject({
      outcome: NameOutcome.Equivalent,
      score: 1,
    });
    expect(compareNames('Lê Hoàng Minh', 'Lê Hoàng Minh')).toMatchObject({ outcome: NameOutcome.Exact, score: 1 });
  });

  it('recognises a name typed without diacritics, đ included', () => {
    expect(foldedName('Đặng Văn Đức')).toBe('dang van duc');
    expect(hasDiacritics('Dang Van Duc')).toBe(false);
    expect(hasDiacritics('Đặng')).toBe(true);
    const evidence = compareNames('DANG VAN DUC', 'Đặng Văn Đức');
    expect(evidence.outcome).toBe(NameOutcome.MissingDiacritics);
    expect(evidence.score).toBeGreaterThan(0.9);
  });

  it('flags names whose letters agree but whose marks differ when both sides carry marks', () => {
    const evidence = compareNames('Phạm Văn Hùng', 'Phạm Văn Hưng');
    expect(evidence.outcome).toBe(NameOutcome.DiacriticsDiffer);
    expect(evidence.score).toBeLessThan(0.85);
  });

  it('recognises family and given names in swapped order, with or without diacritics', () => {
    expect(compareNames('Văn An Nguyễn', 'Nguyễn Văn An').outcome).toBe(NameOutcome.OrderSwapped);
    expect(compareNames('An Nguyen Van', 'Nguyễn Văn An')).toMatchObject({ outcome: NameOutcome.OrderSwapped });
    expect(compareNames('An Nguyen Van', 'Nguyễn Văn An').score).toBeLessThan(
      compareNames('Văn An Nguyễn', 'Nguyễn Văn An').score,
    );
  });

  it('takes only a Western order (family name last, given name first, reversed) as swapped, not any reordering', () => {
    expect(compareNames('Hoà Nguyễn Thị', 'Nguyễn Thị Hoà').outcome).toBe(NameOutcome.OrderSwapped);
    expect(compareNames('Hoa Thi Nguyen', 'Nguyễn Thị Hoà').outcome).toBe(NameOutcome.OrderSwapped);
    expect(compareNames('Thị Mai Hoa Nguyễn', 'Nguyễn Thị Mai Hoa').outcome).toBe(NameOutcome.OrderSwapped);
    // Two given names, not one written in another order.
    const other = compareNames('Nguyễn Thị Hoa Mai', 'Nguyễn Thị Mai Hoa');
    expect(other.outcome).not.toBe(NameOutcome.OrderSwapped);
    expect(other.score).toBeLessThan(0.85);
    expect(compareNames('Nguyễn An Văn', 'Nguyễn Văn An').outcome).not.toBe(NameOutcome.OrderSwapped);
  });

  it('counts every tone mark of a syllable: a doubled mark is not the same name', () => {
    expect(syllableKey('Hoà')).toBe(syllableKey('Hòa'));
    expect(compareNames('Nguyễn Thị Ho\u0300a\u0301', 'Nguyễn Thị Hoà').outcome).not.toBe(NameOutcome.Equivalent);
  });

  it('scores a typo as similar and another person as different', () => {
    const typo = compareNames('Nguyễn Văn Thàn', 'Nguyễn Văn Thành');
    expect(typo.outcome).toBe(NameOutcome.Similar);
    expect(typo.score).toBeLessThan(0.85);
    const other = compareNames('Lê Thị Mai', 'Nguyễn Văn Thành');
    expect(other.outcome).toBe(NameOutcome.Different);
    expect(other.score).toBeLessThan(0.4);
    expect(compareNames('', 'Nguyễn Văn Thành').outcome).toBe(NameOutcome.Different);
  });

  it('joins the registry name parts Ho, ChuDem, Ten family name first', () => {
    expect(fullNameOf({ ho: 'Nguyễn', chuDem: 'Thị Ngọc', ten: 'Ánh' })).toBe('Nguyễn Thị Ngọc Ánh');
    expect(fullNameOf({ ho: 'Lý', ten: 'Long' })).toBe('Lý Long');
  });

  it('measures edit similarity', () => {
    expect(stringSimilarity('thanh', 'thanh')).toBe(1);
    expect(stringSimilarity('thanh', 'than')).toBeCloseTo(0.8);
    expect(stringSimilarity('', '')).toBe(1);
  });
});
