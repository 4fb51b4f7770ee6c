import { cccdProblem, readCccd } from './cccd';

describe('CCCD', () => {
  it('reads province of birth registration, gender and birth year', () => {
    expect(readCccd('019085001234')).toEqual({ provinceCode: '019', gender: 'male', birthYear: 1985 });
    expect(readCccd('001192012345')).toEqual({ provinceCode: '001', gender: 'female', birthYear: 1992 });
    expect(readCccd('079205000001')).toEqual({ provinceCode: '079', gender: 'male', birthYear: 2005 });
    expect(readCccd('006310000001')).toEqual({ provinceCode: '006', gender: 'female', birthYear: 2010 });
  });

  it.each([
    ['01908500123', 'phải gồm đúng 12 chữ số'],
    ['0190850012345', 'phải gồm đúng 12 chữ số'],
    ['01908500123a', 'phải gồm đúng 12 chữ số'],
    ['003085001234', 'mã tỉnh'],
    ['099085001234', 'mã tỉnh'],
  ])('rejects %s', (cccd, reason) => {
    expect(readCccd(cccd)).toEqual(expect.stringContaining(reason));
  });

  it('must agree with the person’s gender and birth year', () => {
    expect(cccdProblem('019085001234', { gender: 'male', birthYear: 1985 })).toBeNull();
    expect(cccdProblem('019085001234', { gender: 'other', birthYear: 1985 })).toBeNull();
    expect(cccdProblem('019085001234', { gender: 'female', birthYear: 1985 })).toContain('giới tính nam');
    expect(cccdProblem('019085001234', { gender: 'male', birthYear: 1986 })).toContain('năm sinh 1985');
    // 2/3 mean the 2000s: a man "born 1905" with marker 2 is really born 2005.
    expect(cccdProblem('019205001234', { gender: 'male', birthYear: 1905 })).toContain('năm sinh 2005');
  });
});
