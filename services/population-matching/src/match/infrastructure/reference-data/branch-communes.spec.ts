import path from 'node:path';
import { loadBranchCommunes } from './branch-communes';

describe('loadBranchCommunes', () => {
  it('reads the branches of the shipped province files, the ones registration-office routes cases to', () => {
    const branches = loadBranchCommunes(path.resolve(__dirname, '../../../../../..'));
    expect([...branches.get('KH-DIENKHANH')!]).toEqual(expect.arrayContaining(['22651', '22657']));
    expect([...branches.get('KH-VANNINH')!]).toEqual(expect.arrayContaining(['22525']));
    expect([...branches.get('QNG-DUCPHO')!]).toEqual(expect.arrayContaining(['21439', '21451', '21457', '21478']));
    expect([...branches.get('QT-HOANLAO')!]).toEqual(expect.arrayContaining(['19111']));
    expect(branches.get('KH-VANNINH')!.has('22657')).toBe(false);
  });
});
