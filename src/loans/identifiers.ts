/**
 * Validators for the identifiers a loan carries: the borrower's unified social credit code (USCC), and the numbers of
 * the pledged rights (patent application, trademark registration, copyright registration) and of the pledge
 * registration itself.
 *
 * Pure functions over strings with no Node-only API, because the web console imports this same module to check a
 * field as the user types. A validator never throws: it returns `{ ok: true, ... }` with the normalised value, or
 * `{ ok: false, rule, message }` naming the first rule broken, in the order its rule type lists them, so the answer
 * for one input never depends on which check happened to run first.
 */

/** The first rule, in the validator's fixed order, that an input breaks, and an English sentence saying how. */
export type Invalid<Rule extends string> = { ok: false; rule: Rule; message: string };

/** The result of the validators whose only output is the normalised text (everything but the USCC). */
export type NormalisedResult<Rule extends string> = { ok: true; normalised: string } | Invalid<Rule>;

function invalid<Rule extends string>(rule: Rule, message: string): Invalid<Rule> {
  return { ok: false, rule, message };
}

/**
 * Upper-cases a–z only. `String.prototype.toUpperCase` also maps non-ASCII letters, some of them onto ASCII and some
 * into two characters ('ı' → 'I', 'ﬀ' → 'FF'), which would let a foreign character pass as a code character or change
 * the length we check.
 */
function upperCaseAscii(text: string): string {
  return text.replace(/[a-z]+/g, (letters) => letters.toUpperCase());
}

// ---------------------------------------------------------------------------------------------------------------------
// Unified social credit code (统一社会信用代码), GB 32100-2015
// ---------------------------------------------------------------------------------------------------------------------

export const USCC_LENGTH = 18;

/** GB 32100-2015: digits and upper-case letters without I, O, S, V, Z; a character's value is its index here. */
const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** GB 32100-2015 weights for characters 1–17: 3^(i−1) mod 31. */
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/** GB 11714-1997 weights for the 8 characters of an organisation code before its check character. */
const ORGANISATION_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;

/**
 * Character 1 (登记管理部门代码) → the character-2 values (机构类别代码) that authority assigns.
 *
 * Source: the table as consolidated in public explainers of GB 32100-2015 (e.g.
 * https://blog.csdn.net/lh1424573495/article/details/108776492), reproduced entry for entry by several open-source
 * validators. Summaries of the 2015 text list only 1 机构编制, 5 民政, 9 工商 and Y 其他; the other authorities were
 * given codes afterwards. The text of the standard and of its amendment GB 32100-2015/XG1-2016 was not available to
 * check against, so a real code refused here for its first two characters means this table needs a row.
 */
const ORGANISATION_CATEGORIES_BY_REGISTRATION_AUTHORITY: ReadonlyMap<string, readonly string[]> = new Map([
  ['1', ['1', '2', '3', '9']], // 机构编制: 1 机关, 2 事业单位, 3 中央编办直接管理机构编制的群众团体, 9 其他
  ['2', ['1', '9']], // 外交: 1 外国常驻新闻机构, 9 其他
  ['3', ['1', '2', '3', '4', '5', '9']], // 司法行政: 1 律师执业机构, 2 公证处, 3 基层法律服务所, 4 司法鉴定机构, 5 仲裁委员会, 9 其他
  ['4', ['1', '9']], // 文化: 1 外国在华文化中心, 9 其他
  ['5', ['1', '2', '3', '9']], // 民政: 1 社会团体, 2 民办非企业单位, 3 基金会, 9 其他
  ['6', ['1', '2', '9']], // 旅游: 1 外国旅游部门常驻代表机构, 2 港澳台地区旅游部门常驻内地（大陆）代表机构, 9 其他
  ['7', ['1', '2', '9']], // 宗教: 1 宗教活动场所, 2 宗教院校, 9 其他
  ['8', ['1', '9']], // 工会: 1 基层工会, 9 其他
  ['9', ['1', '2', '3']], // 工商 (market regulation): 1 企业, 2 个体工商户, 3 农民专业合作社
  ['A', ['1', '9']], // 中央军委改革和编制办公室: 1 军队事业单位, 9 其他
  ['N', ['1', '2', '3', '9']], // 农业: 1 组级集体经济组织, 2 村级集体经济组织, 3 乡镇级集体经济组织, 9 其他
  ['Y', ['1']], // 其他: not divided further, always 1
]);

/**
 * First two digits of the GB/T 2260 division codes of the provincial-level divisions: 11 北京 12 天津 13 河北 14 山西
 * 15 内蒙古, 21 辽宁 22 吉林 23 黑龙江, 31 上海 32 江苏 33 浙江 34 安徽 35 福建 36 江西 37 山东, 41 河南 42 湖北 43 湖南
 * 44 广东 45 广西 46 海南, 50 重庆 51 四川 52 贵州 53 云南 54 西藏, 61 陕西 62 甘肃 63 青海 64 宁夏 65 新疆, 71 台湾,
 * 81 香港 82 澳门.
 */
const PROVINCE_CODES: ReadonlySet<string> = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82',
]);

/**
 * Characters 3–8 of codes issued by a national-level registration authority (e.g. national social organisations
 * registered with the Ministry of Civil Affairs). Not a GB/T 2260 code, but found in real USCCs.
 */
const NATIONAL_DIVISION_CODE = '100000';

export type UsccRule =
  | 'length'
  | 'alphabet'
  | 'registration_authority'
  | 'organisation_category'
  | 'division_code'
  | 'organisation_code_check'
  | 'check_character';

export type UsccResult = { ok: true; uscc: string; divisionCode: string } | Invalid<UsccRule>;

/**
 * Checks a unified social credit code against GB 32100-2015, rule by rule in the order of `UsccRule`.
 *
 * The input is trimmed and its ASCII letters upper-cased first, so ' 91350100m000100y43 ' is accepted and returned as
 * '91350100M000100Y43'; nothing else is rewritten (inner spaces and full-width characters are refused, not repaired).
 * `divisionCode` is characters 3–8, the administrative division of the registration authority.
 *
 * A code can be legal and still fail: some codes issued in early pilots do not satisfy the check (see the tests).
 */
export function validateUscc(input: string): UsccResult {
  const uscc = upperCaseAscii(input.trim());

  const characters = [...uscc];
  if (characters.length !== USCC_LENGTH) {
    return invalid('length', `a USCC has ${USCC_LENGTH} characters, this has ${characters.length}`);
  }
  const outsideAlphabet = characters.findIndex((character) => !USCC_ALPHABET.includes(character));
  if (outsideAlphabet !== -1) {
    return invalid(
      'alphabet',
      `character ${outsideAlphabet + 1} '${characters[outsideAlphabet]}' is not in the USCC alphabet ` +
        `(digits and upper-case letters except I, O, S, V, Z)`,
    );
  }
  // From here on the code is 18 ASCII characters, so string indices are character positions.

  const registrationAuthority = uscc.charAt(0);
  const categories = ORGANISATION_CATEGORIES_BY_REGISTRATION_AUTHORITY.get(registrationAuthority);
  if (categories === undefined) {
    return invalid(
      'registration_authority',
      `registration authority code (character 1) '${registrationAuthority}' is not one of ` +
        `${[...ORGANISATION_CATEGORIES_BY_REGISTRATION_AUTHORITY.keys()].join(', ')}`,
    );
  }
  const organisationCategory = uscc.charAt(1);
  if (!categories.includes(organisationCategory)) {
    return invalid(
      'organisation_category',
      `organisation category code (character 2) '${organisationCategory}' is not used by registration authority ` +
        `'${registrationAuthority}', which uses ${categories.join(', ')}`,
    );
  }

  const divisionCode = uscc.slice(2, 8);
  const divisionProblem = divisionCodeProblem(divisionCode);
  if (divisionProblem !== undefined) {
    return invalid('division_code', `division code (characters 3–8) '${divisionCode}' ${divisionProblem}`);
  }

  const organisationCheckCharacter = uscc.charAt(16);
  const expectedOrganisationCheckCharacter = organisationCodeCheckCharacter(uscc.slice(8, 16));
  if (organisationCheckCharacter !== expectedOrganisationCheckCharacter) {
    return invalid(
      'organisation_code_check',
      `organisation code check character is '${organisationCheckCharacter}', ` +
        `expected '${expectedOrganisationCheckCharacter}' (character 17, GB 11714-1997)`,
    );
  }

  const checkCharacter = uscc.charAt(17);
  const expectedCheckCharacter = usccCheckCharacter(uscc.slice(0, 17));
  if (checkCharacter !== expectedCheckCharacter) {
    return invalid(
      'check_character',
      `check character is '${checkCharacter}', expected '${expectedCheckCharacter}' (character 18, GB 32100-2015)`,
    );
  }

  return { ok: true, uscc, divisionCode };
}

/**
 * Why characters 3–8 cannot be a division code, or undefined when they can. Only the province is checked: the full
 * GB/T 2260 list changes every year and codes keep the division of their registration date, so a stricter check would
 * refuse legal codes of divisions since merged or renamed.
 */
function divisionCodeProblem(divisionCode: string): string | undefined {
  if (!/^\d{6}$/.test(divisionCode)) return 'must be 6 digits';
  if (divisionCode === NATIONAL_DIVISION_CODE) return undefined;
  const province = divisionCode.slice(0, 2);
  if (province === '10') return `starts with 10 but is not the national-level ${NATIONAL_DIVISION_CODE}`;
  if (!PROVINCE_CODES.has(province)) return `does not start with a province code (${province} is none)`;
  return undefined;
}

/**
 * The GB 32100-2015 check character (character 18) of the first 17 characters of a USCC: with each character's value
 * its index in the alphabet, C18 = 31 − (Σ value × weight mod 31), and 31 becomes 0.
 *
 * @throws RangeError when `first17` is not 17 characters of the USCC alphabet (a programming error, not user input).
 */
export function usccCheckCharacter(first17: string): string {
  if (first17.length !== USCC_WEIGHTS.length || [...first17].some((character) => !USCC_ALPHABET.includes(character))) {
    throw new RangeError(`usccCheckCharacter needs 17 characters of ${USCC_ALPHABET}, got '${first17}'`);
  }
  let sum = 0;
  USCC_WEIGHTS.forEach((weight, index) => {
    sum += USCC_ALPHABET.indexOf(first17.charAt(index)) * weight;
  });
  const checkValue = (31 - (sum % 31)) % 31;
  return USCC_ALPHABET.charAt(checkValue);
}

/**
 * The GB 11714-1997 check character (character 9) of an organisation code's first 8 characters: values 0–9 for
 * digits and A = 10 … Z = 35, C9 = 11 − (Σ value × weight mod 11), where 10 is written 'X' and 11 is written '0'.
 *
 * @throws RangeError when `first8` is not 8 characters of 0–9 and A–Z.
 */
export function organisationCodeCheckCharacter(first8: string): string {
  if (!/^[0-9A-Z]{8}$/.test(first8)) {
    throw new RangeError(`organisationCodeCheckCharacter needs 8 characters of 0-9 and A-Z, got '${first8}'`);
  }
  let sum = 0;
  ORGANISATION_CODE_WEIGHTS.forEach((weight, index) => {
    // parseInt in base 36 gives exactly the standard's values: '0'–'9' → 0–9, 'A' → 10 … 'Z' → 35.
    sum += parseInt(first8.charAt(index), 36) * weight;
  });
  const checkValue = 11 - (sum % 11);
  if (checkValue === 10) return 'X';
  if (checkValue === 11) return '0';
  return String(checkValue);
}

// ---------------------------------------------------------------------------------------------------------------------
// Patent application numbers (专利申请号)
// ---------------------------------------------------------------------------------------------------------------------

/** The application-type digit after the year, in both the 12-digit and the 8-digit form. */
const PATENT_TYPES: ReadonlyMap<string, string> = new Map([
  ['1', 'invention'],
  ['2', 'utility model'],
  ['3', 'design'],
  ['8', 'PCT invention entering China'],
  ['9', 'PCT utility model entering China'],
]);

/** Weights of the check digit over the 12 digits; the 8-digit form uses the first 8. */
const PATENT_CHECK_WEIGHTS = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5] as const;

/**
 * The prefix is optional: 'ZL' marks a granted patent's number, 'CN' the office. The standard for application numbers
 * allows one space between year and type and between type and serial; after the prefix one space is common too.
 */
const PATENT_PREFIX = /^(?:ZL|CN) ?/;
/** Since 2003-10-01: year, type digit, 7-digit serial, '.', check digit. */
const PATENT_NUMBER_12 = /^(\d{4}) ?(\d) ?(\d{7})\.([0-9X])$/;
/** Until 2003-09-30: 2-digit year, type digit, 5-digit serial, '.', check digit. */
const PATENT_NUMBER_8 = /^(\d{2}) ?(\d) ?(\d{5})\.([0-9X])$/;

/** The 12-digit form started on 2003-10-01, so no 12-digit number has an earlier year. */
const PATENT_FIRST_YEAR_12_DIGITS = 2003;
/** The 8-digit form ran from the office's opening (1985-04-01) to 2003-09-30: years 85–99 and 00–03. */
function isEightDigitFormYear(twoDigitYear: number): boolean {
  return twoDigitYear >= 85 || twoDigitYear <= 3;
}

export type PatentRule = 'format' | 'patent_type' | 'check_digit';

const PATENT_FORMAT_MESSAGE =
  "a patent application number is a 4-digit year, a type digit, a 7-digit serial, '.' and a check digit " +
  "(e.g. 202310123456.6), or before 2003-10 a 2-digit year, a type digit, a 5-digit serial, '.' and a check digit, " +
  "optionally after 'ZL' or 'CN'";

/**
 * Checks a Chinese patent application (or patent) number and returns it without prefix or spaces, e.g.
 * 'ZL 2004 1 0009458.X' → '200410009458.X'. The input is trimmed and its ASCII letters upper-cased first.
 * The year is checked only against the form's start and end; a year in the future is not caught (no clock here).
 */
export function validatePatentNumber(input: string): NormalisedResult<PatentRule> {
  const text = upperCaseAscii(input.trim()).replace(PATENT_PREFIX, '');
  const match = PATENT_NUMBER_12.exec(text) ?? PATENT_NUMBER_8.exec(text);
  if (!match) return invalid('format', PATENT_FORMAT_MESSAGE);
  const [, year = '', type = '', serial = '', checkDigit = ''] = match;

  if (year.length === 4 && Number(year) < PATENT_FIRST_YEAR_12_DIGITS) {
    return invalid('format', `year ${year} is before the 12-digit form began on 2003-10-01`);
  }
  if (year.length === 2 && !isEightDigitFormYear(Number(year))) {
    return invalid('format', `year '${year}' of the 8-digit form must be 85–99 or 00–03 (used 1985-04 to 2003-09)`);
  }

  const typeName = PATENT_TYPES.get(type);
  if (typeName === undefined) {
    const known = [...PATENT_TYPES].map(([digit, name]) => `${digit} (${name})`).join(', ');
    return invalid('patent_type', `patent type digit '${type}' is not one of ${known}`);
  }

  const expectedCheckDigit = patentCheckDigit(`${year}${type}${serial}`);
  if (checkDigit !== expectedCheckDigit) {
    return invalid('check_digit', `check digit is '${checkDigit}', expected '${expectedCheckDigit}'`);
  }
  return { ok: true, normalised: `${year}${type}${serial}.${checkDigit}` };
}

/**
 * The check digit of a patent application number's 12 (or, before 2003-10, 8) digits: Σ digit × weight mod 11, with
 * weights 2 3 4 5 6 7 8 9 2 3 4 5 from the left and 10 written 'X'.
 *
 * @throws RangeError when `digits` is not 8 or 12 digits.
 */
export function patentCheckDigit(digits: string): string {
  if (!/^(?:\d{8}|\d{12})$/.test(digits)) {
    throw new RangeError(`patentCheckDigit needs 8 or 12 digits, got '${digits}'`);
  }
  let sum = 0;
  [...digits].forEach((digit, index) => {
    sum += Number(digit) * PATENT_CHECK_WEIGHTS[index]!;
  });
  const remainder = sum % 11;
  return remainder === 10 ? 'X' : String(remainder);
}

// ---------------------------------------------------------------------------------------------------------------------
// Trademark registration numbers (商标注册号)
// ---------------------------------------------------------------------------------------------------------------------

/** Registration numbers are one national serial; recent ones have 8 digits, so 9 leaves room for growth. */
const TRADEMARK_NUMBER_DIGITS_MAX = 9;

export type TrademarkRule = 'empty' | 'format' | 'length';

/**
 * Checks a trademark registration number: 1–9 digits, after trimming and removing the '第' … '号' that certificates
 * print around it ('第12345678号' → '12345678').
 */
export function validateTrademarkNumber(input: string): NormalisedResult<TrademarkRule> {
  const digits = input
    .trim()
    .replace(/^第\s*/, '')
    .replace(/\s*号$/, '');
  if (digits === '') return invalid('empty', 'trademark registration number is empty');
  if (!/^[0-9]+$/.test(digits)) {
    return invalid('format', `trademark registration number must be digits only (0-9), got '${digits}'`);
  }
  if (digits.length > TRADEMARK_NUMBER_DIGITS_MAX) {
    return invalid(
      'length',
      `trademark registration number has at most ${TRADEMARK_NUMBER_DIGITS_MAX} digits, this has ${digits.length}`,
    );
  }
  return { ok: true, normalised: digits };
}

// ---------------------------------------------------------------------------------------------------------------------
// Free-text registration numbers: copyright registrations and pledge registrations
// ---------------------------------------------------------------------------------------------------------------------

/**
 * Copyright and pledge registration numbers have many local formats (2023SR0123456, 国作登字-2023-F-00123456,
 * 赣作登字-…), so they are checked as bounded text only. Those two formats are 13 and 22 characters; 64 leaves room for
 * formats we have not seen while bounding what a row stores.
 */
export const REGISTRATION_NUMBER_CHARACTERS_MAX = 64;

export type RegistrationNumberRule = 'empty' | 'length' | 'control_character';

/**
 * Control characters (Cc: tab, newline, NUL …) and invisible format characters (Cf: zero-width space, bidi marks, soft
 * hyphen …): pasted from documents, they would make two numbers that look identical compare different.
 */
const CONTROL_OR_FORMAT_CHARACTER = /[\p{Cc}\p{Cf}]/u;

function validateRegistrationText(input: string, fieldName: string): NormalisedResult<RegistrationNumberRule> {
  const text = input.trim();
  if (text === '') return invalid('empty', `${fieldName} is empty`);
  // Counted in code points, as a user sees them and as PostgreSQL counts varchar(n), not in UTF-16 units.
  const characters = [...text];
  if (characters.length > REGISTRATION_NUMBER_CHARACTERS_MAX) {
    return invalid(
      'length',
      `${fieldName} has at most ${REGISTRATION_NUMBER_CHARACTERS_MAX} characters, this has ${characters.length}`,
    );
  }
  const controlIndex = characters.findIndex((character) => CONTROL_OR_FORMAT_CHARACTER.test(character));
  if (controlIndex !== -1) {
    const codePoint = characters[controlIndex]!.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    return invalid(
      'control_character',
      `${fieldName} contains the invisible character U+${codePoint} at position ${controlIndex + 1}`,
    );
  }
  return { ok: true, normalised: text };
}

/** Checks a copyright registration number (software 2023SR0123456, works 国作登字-2023-F-00123456, …): trimmed text. */
export function validateCopyrightNumber(input: string): NormalisedResult<RegistrationNumberRule> {
  return validateRegistrationText(input, 'copyright registration number');
}

/**
 * Checks a pledge registration number (质押登记号): trimmed text. The field is optional on a pledge: callers skip this
 * check when it is absent, and decide themselves whether a blank form field means absent.
 */
export function validatePledgeRegistrationNo(input: string): NormalisedResult<RegistrationNumberRule> {
  return validateRegistrationText(input, 'pledge registration number');
}
