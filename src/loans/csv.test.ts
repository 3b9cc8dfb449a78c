import { csvObjects, parseCsv, parsePledgeList } from './csv';

describe('parseCsv (RFC 4180)', () => {
  it('reads quoted cells with commas, doubled quotes and line breaks, CRLF or LF, and skips blank lines', () => {
    const table = parseCsv('\ufeffa,b,c\r\n1,"x, ""y""",3\n\n"multi\nline",,z\n');
    expect(table.header).toEqual(['a', 'b', 'c']);
    expect(table.records).toEqual([
      { line: 2, row: 2, cells: ['1', 'x, "y"', '3'] },
      { line: 4, row: 4, cells: ['multi\nline', '', 'z'] },
    ]);
  });

  it('a last line without a line break is read', () => {
    expect(parseCsv('a,b\n1,2').records).toEqual([{ line: 2, row: 2, cells: ['1', '2'] }]);
  });

  it('refuses an unterminated quote and text after a closing quote', () => {
    expect(() => parseCsv('a\n"open')).toThrow(/line 2: a quoted field is not closed/);
    expect(() => parseCsv('a\n"x"y')).toThrow(/closing quote must end its field/);
  });
});

describe('csvObjects', () => {
  it('keys cells by the header, leaves empty cells out, and names unknown columns and short lines', () => {
    const { objects, problems } = csvObjects('a,b,zz\n1,,3\n4\n', ['a', 'b']);
    expect(objects).toEqual([{ a: '1', zz: '3' }, { a: '4' }]);
    expect(problems).toEqual([
      { path: '(header)', message: 'unknown column "zz"; the columns are a, b' },
      { row: 2, path: '(csv)', message: 'line 3 has 1 cells; the header has 3' },
    ]);
  });
});

describe('parsePledgeList', () => {
  it('reads rightType:number[:securedAmount[:registrationNo]] items separated by ;', () => {
    expect(parsePledgeList('patent:202310123456.6; trademark:12345678:500000.00;copyright:2023-F-1::Y2024-1;patent:202310654321.0:1.5:Y:2')).toEqual({
      pledges: [
        { rightType: 'patent', number: '202310123456.6' },
        { rightType: 'trademark', number: '12345678', securedAmount: '500000.00' },
        { rightType: 'copyright', number: '2023-F-1', registrationNo: 'Y2024-1' },
        { rightType: 'patent', number: '202310654321.0', securedAmount: '1.5', registrationNo: 'Y:2' },
      ],
    });
    expect(parsePledgeList('202310123456.6').problem).toMatch(/is not rightType:number/);
  });
});
