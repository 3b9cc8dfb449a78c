import fc from 'fast-check';
import {
  organisationCodeCheckCharacter,
  patentCheckDigit,
  usccCheckCharacter,
  validateCopyrightNumber,
  validatePatentNumber,
  validatePledgeRegistrationNo,
  validateTrademarkNumber,
  validateUscc,
} from './identifiers';

/*
 * Values used in the hand arithmetic below.
 * GB 32100 (USCC) value = index in 0123456789ABCDEFGHJKLMNPQRTUWXY:
 *   A10 B11 C12 D13 E14 F15 G16 H17 J18 K19 L20 M21 N22 P23 Q24 R25 T26 U27 W28 X29 Y30
 *   weights for characters 1–17: 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28
 * GB 11714 (organisation code) value: 0–9, then A10 B11 … Z35 over the full alphabet:
 *   A10 B11 C12 D13 E14 F15 G16 H17 I18 J19 K20 L21 M22 N23 O24 P25 Q26 R27 S28 T29 U30 V31 W32 X33 Y34 Z35
 *   weights for characters 1–8: 3 7 9 10 5 8 4 2
 */

/** The USCC alphabet, restated here rather than imported so the tests do not trust the module's copy. */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** `code` with the character at 1-based `position` replaced. */
function withCharacter(code: string, position: number, character: string): string {
  return code.slice(0, position - 1) + character + code.slice(position);
}

/** The alphabet characters either side of `character` (wrapping), i.e. the check character off by one each way. */
function neighbours(character: string): [string, string] {
  const index = ALPHABET.indexOf(character);
  return [ALPHABET.charAt((index + 1) % 31), ALPHABET.charAt((index + 30) % 31)];
}

describe('validateUscc', () => {
  describe('valid codes, each check character worked out by hand', () => {
    it.each([
      // 91350100M000100Y43 — the code widely quoted as a valid example (Fuzhou, 350100; 工商, 企业).
      //   organisation code M000100Y|4: 22×3 + 0×7 + 0×9 + 0×10 + 1×5 + 0×8 + 0×4 + 34×2 = 66+5+68 = 139;
      //     139 mod 11 = 7 (11×12 = 132); 11 − 7 = 4 → '4'
      //   USCC: 9×1 + 1×3 + 3×9 + 5×27 + 0×19 + 1×26 + 0×16 + 0×17 + M21×20 + 0×29 + 0×25 + 0×13 + 1×8 + 0×24 + 0×10
      //     + Y30×30 + 4×28 = 9+3+27+135+26+420+8+900+112 = 1640; 1640 mod 31 = 28 (31×52 = 1612); 31 − 28 = 3 → '3'
      ['91350100M000100Y43', '350100'],
      // 91360902MA36R7KCX7 — constructed: an enterprise in Yuanzhou district (360902); organisation check 'X'.
      //   organisation code MA36R7KC|X: 22×3 + 10×7 + 3×9 + 6×10 + R27×5 + 7×8 + K20×4 + C12×2
      //     = 66+70+27+60+135+56+80+24 = 518; 518 mod 11 = 1 (11×47 = 517); 11 − 1 = 10 → 'X'
      //   USCC: 9×1 + 1×3 + 3×9 + 6×27 + 0×19 + 9×26 + 0×16 + 2×17 + M21×20 + A10×29 + 3×25 + 6×13 + R25×8 + 7×24
      //     + K19×10 + C12×30 + X29×28 = 9+3+27+162+234+34+420+290+75+78+200+168+190+360+812 = 3062;
      //     3062 mod 31 = 24 (31×98 = 3038); 31 − 24 = 7 → '7'
      ['91360902MA36R7KCX7', '360902'],
      // 92330783MA2DK4P606 — constructed: a 个体工商户 (92) in Dongyang (330783); organisation check '0'.
      //   organisation code MA2DK4P6|0: 22×3 + 10×7 + 2×9 + D13×10 + K20×5 + 4×8 + P25×4 + 6×2
      //     = 66+70+18+130+100+32+100+12 = 528; 528 mod 11 = 0; 11 − 0 = 11 → '0'
      //   USCC: 9×1 + 2×3 + 3×9 + 3×27 + 0×19 + 7×26 + 8×16 + 3×17 + M21×20 + A10×29 + 2×25 + D13×13 + K19×8 + 4×24
      //     + P23×10 + 6×30 + 0×28 = 9+6+27+81+182+128+51+420+290+50+169+152+96+230+180 = 2071;
      //     2071 mod 31 = 25 (31×66 = 2046); 31 − 25 = 6 → '6'
      ['92330783MA2DK4P606', '330783'],
      // 93610902MA6Y001050 — constructed: a 农民专业合作社 (93) in Hanbin district, Ankang (610902); USCC check '0'.
      //   organisation code MA6Y0010|5: 22×3 + 10×7 + 6×9 + Y34×10 + 0×5 + 0×8 + 1×4 + 0×2 = 66+70+54+340+4 = 534;
      //     534 mod 11 = 6 (11×48 = 528); 11 − 6 = 5 → '5'
      //   USCC: 9×1 + 3×3 + 6×9 + 1×27 + 0×19 + 9×26 + 0×16 + 2×17 + M21×20 + A10×29 + 6×25 + Y30×13 + 0×8 + 0×24
      //     + 1×10 + 0×30 + 5×28 = 9+9+54+27+234+34+420+290+150+390+10+140 = 1767;
      //     1767 mod 31 = 0 (31×57 = 1767); 31 − 0 = 31 → '0'
      ['93610902MA6Y001050', '610902'],
      // 51100000500000410Y — constructed: a national social organisation (民政 51, national level 100000);
      // organisation check '0' and USCC check 'Y' (the largest value, 30).
      //   organisation code 50000041|0: 5×3 + 0×7 + 0×9 + 0×10 + 0×5 + 0×8 + 4×4 + 1×2 = 15+16+2 = 33;
      //     33 mod 11 = 0; 11 − 0 = 11 → '0'
      //   USCC: 5×1 + 1×3 + 1×9 + 0×(27,19,26,16,17) + 5×20 + 0×(29,25,13,8,24) + 4×10 + 1×30 + 0×28
      //     = 5+3+9+100+40+30 = 187; 187 mod 31 = 1 (31×6 = 186); 31 − 1 = 30 → 'Y'
      ['51100000500000410Y', '100000'],
      // Y1110108MA01ABCD55 — constructed: registration authority Y (其他), category 1, Haidian (110108).
      //   organisation code MA01ABCD|5: 22×3 + 10×7 + 0×9 + 1×10 + A10×5 + B11×8 + C12×4 + D13×2
      //     = 66+70+10+50+88+48+26 = 358; 358 mod 11 = 6 (11×32 = 352); 11 − 6 = 5 → '5'
      //   USCC: Y30×1 + 1×3 + 1×9 + 1×27 + 0×19 + 1×26 + 0×16 + 8×17 + M21×20 + A10×29 + 0×25 + 1×13 + A10×8
      //     + B11×24 + C12×10 + D13×30 + 5×28 = 30+3+9+27+26+136+420+290+13+80+264+120+390+140 = 1948;
      //     1948 mod 31 = 26 (31×62 = 1922); 31 − 26 = 5 → '5'
      ['Y1110108MA01ABCD55', '110108'],
    ])('%s is a valid USCC registered in division %s', (code, divisionCode) => {
      expect(validateUscc(code)).toEqual({ ok: true, uscc: code, divisionCode });
    });
  });

  it('trims and upper-cases the input before checking, and returns the normalised code', () => {
    expect(validateUscc('  91350100m000100y43\n')).toEqual({
      ok: true,
      uscc: '91350100M000100Y43',
      divisionCode: '350100',
    });
    expect(validateUscc('\u300091360902ma36r7kcx7\u3000')).toEqual({
      ok: true,
      uscc: '91360902MA36R7KCX7',
      divisionCode: '360902',
    });
  });

  describe('length', () => {
    it.each([
      ['17 characters', '91350100M000100Y4', 17],
      ['19 characters', '91350100M000100Y433', 19],
      ['an empty string', '', 0],
      ['only spaces', '   ', 0],
      ['a code with a space inside', '91350100 M000100Y43', 19],
    ])('refuses %s', (_description, input, length) => {
      expect(validateUscc(input)).toEqual({
        ok: false,
        rule: 'length',
        message: `a USCC has 18 characters, this has ${length}`,
      });
    });

    it('counts characters, not UTF-16 units, so an astral character counts once', () => {
      // 17 good characters plus one astral character is 18 characters (19 UTF-16 units): it is the alphabet that fails.
      const result = validateUscc('91350100M000100Y4\u{1D7D1}');
      expect(result).toMatchObject({ ok: false, rule: 'alphabet' });
    });

    it('does not let a non-ASCII letter that upper-cases to two letters reach 18 characters', () => {
      // 'ﬀ' (U+FB00) becomes 'FF' under toUpperCase, which would make these 17 characters 18; only a–z are upper-cased.
      expect(validateUscc('91350100M000100Y\uFB00')).toEqual({
        ok: false,
        rule: 'length',
        message: 'a USCC has 18 characters, this has 17',
      });
    });
  });

  describe('alphabet', () => {
    it.each(['I', 'O', 'S', 'V', 'Z'])('refuses the letter %s, which the standard leaves out', (letter) => {
      expect(validateUscc(withCharacter('91350100M000100Y43', 10, letter))).toEqual({
        ok: false,
        rule: 'alphabet',
        message:
          `character 10 '${letter}' is not in the USCC alphabet ` +
          '(digits and upper-case letters except I, O, S, V, Z)',
      });
    });

    it('refuses a lower-case i or o, because upper-casing makes them I and O', () => {
      expect(validateUscc('91350100m0001o0y43')).toMatchObject({
        ok: false,
        rule: 'alphabet',
        message: expect.stringContaining("character 14 'O'"),
      });
      expect(validateUscc('9i350100M000100Y43')).toMatchObject({
        ok: false,
        rule: 'alphabet',
        message: expect.stringContaining("character 2 'I'"),
      });
    });

    it.each([
      ['a full-width digit', '9１350100M000100Y43', '１'],
      ['a hyphen', '91350100-M000100Y4', '-'],
      ['a Chinese character', '91350100M000100Y4号', '号'],
    ])('refuses %s', (_description, input, character) => {
      expect(validateUscc(input)).toMatchObject({
        ok: false,
        rule: 'alphabet',
        message: expect.stringContaining(`'${character}'`),
      });
    });
  });

  describe('registration authority and organisation category', () => {
    // GB 32100-2015 with the authorities added since; restated from the standard's table, not read from the module.
    const categoriesByAuthority: Record<string, string> = {
      '1': '1239', // 机构编制
      '2': '19', // 外交
      '3': '123459', // 司法行政
      '4': '19', // 文化
      '5': '1239', // 民政
      '6': '129', // 旅游
      '7': '129', // 宗教
      '8': '19', // 工会
      '9': '123', // 工商
      A: '19', // 中央军委改革和编制办公室
      N: '1239', // 农业
      Y: '1', // 其他
    };
    /** A code with the given first two characters, Fuzhou's division and organisation code, and its check character. */
    function codeWith(authority: string, category: string): string {
      const first17 = `${authority}${category}350100M000100Y4`;
      return first17 + usccCheckCharacter(first17);
    }

    it.each(Object.entries(categoriesByAuthority))(
      'accepts registration authority %s with each of its organisation categories %s',
      (authority, categories) => {
        const refused = [...categories].filter((category) => !validateUscc(codeWith(authority, category)).ok);
        expect(refused).toEqual([]);
      },
    );

    it.each(Object.entries(categoriesByAuthority))(
      'refuses registration authority %s with any organisation category but %s',
      (authority, categories) => {
        const others = [...ALPHABET].filter((character) => !categories.includes(character));
        const notRefusedForCategory = others.filter((category) => {
          const result = validateUscc(codeWith(authority, category));
          return result.ok || result.rule !== 'organisation_category';
        });
        expect(others.length).toBe(31 - categories.length);
        expect(notRefusedForCategory).toEqual([]);
      },
    );

    it('names the categories the authority uses when the category is wrong', () => {
      expect(validateUscc('94350100M000100Y43')).toEqual({
        ok: false,
        rule: 'organisation_category',
        message:
          "organisation category code (character 2) '4' is not used by registration authority '9', " +
          'which uses 1, 2, 3',
      });
      expect(validateUscc('Y2110108MA01ABCD55')).toMatchObject({ ok: false, rule: 'organisation_category' });
    });

    const invalidAuthorities = [...ALPHABET].filter((character) => !(character in categoriesByAuthority));
    it.each(invalidAuthorities)('refuses %s as a registration authority', (authority) => {
      expect(validateUscc(withCharacter('91350100M000100Y43', 1, authority))).toEqual({
        ok: false,
        rule: 'registration_authority',
        message:
          `registration authority code (character 1) '${authority}' is not one of ` +
          '1, 2, 3, 4, 5, 6, 7, 8, 9, A, N, Y',
      });
    });
  });

  describe('division code', () => {
    it('refuses a division code whose province does not exist even when both check characters are right', () => {
      // 91990100M000100Y4U: the Fuzhou code with province 35 changed to 99 and the check character recomputed.
      //   Characters 3 and 4 change from 3, 5 to 9, 9: 1640 + (9−3)×9 + (9−5)×27 = 1640 + 54 + 108 = 1802;
      //   1802 mod 31 = 4 (31×58 = 1798); 31 − 4 = 27 → 'U'. The organisation code M000100Y4 is unchanged.
      expect(validateUscc('91990100M000100Y4U')).toEqual({
        ok: false,
        rule: 'division_code',
        message: "division code (characters 3–8) '990100' does not start with a province code (99 is none)",
      });
    });

    it.each([
      ['00', '91000000M000100Y43'],
      ['19', '91190100M000100Y43'],
      ['83', '91830100M000100Y43'],
    ])('refuses a division code starting with %s', (_description, code) => {
      expect(validateUscc(code)).toMatchObject({ ok: false, rule: 'division_code' });
    });

    it('refuses a division code starting with 10 other than the national-level 100000', () => {
      expect(validateUscc('91100100M000100Y43')).toEqual({
        ok: false,
        rule: 'division_code',
        message: "division code (characters 3–8) '100100' starts with 10 but is not the national-level 100000",
      });
    });

    it('refuses a letter among characters 3–8, which must be 6 digits', () => {
      expect(validateUscc('9135A100M000100Y43')).toEqual({
        ok: false,
        rule: 'division_code',
        message: "division code (characters 3–8) '35A100' must be 6 digits",
      });
    });

    it.each(['11', '15', '21', '23', '31', '37', '41', '46', '50', '54', '61', '65', '71', '81', '82'])(
      'accepts province %s at the edges of the province ranges',
      (province) => {
        const first17 = `91${province}0100M000100Y4`;
        expect(validateUscc(first17 + usccCheckCharacter(first17))).toMatchObject({ ok: true });
      },
    );
  });

  describe('check characters off by one', () => {
    const validCodes = [
      '91350100M000100Y43',
      '91360902MA36R7KCX7',
      '92330783MA2DK4P606',
      '93610902MA6Y001050',
      '51100000500000410Y',
      'Y1110108MA01ABCD55',
    ];

    it.each(validCodes)('refuses %s with its organisation code check character (17) one off either way', (code) => {
      const right = code.charAt(16);
      for (const wrong of neighbours(right)) {
        expect(validateUscc(withCharacter(code, 17, wrong))).toEqual({
          ok: false,
          rule: 'organisation_code_check',
          message: `organisation code check character is '${wrong}', expected '${right}' (character 17, GB 11714-1997)`,
        });
      }
    });

    it.each(validCodes)('refuses %s with its check character (18) one off either way', (code) => {
      const right = code.charAt(17);
      for (const wrong of neighbours(right)) {
        expect(validateUscc(withCharacter(code, 18, wrong))).toEqual({
          ok: false,
          rule: 'check_character',
          message: `check character is '${wrong}', expected '${right}' (character 18, GB 32100-2015)`,
        });
      }
    });
  });

  it('reports that the legal pilot-era code 91350100M0001TGQXM fails the GB 32100 check character', () => {
    // Organisation code M0001TGQ|X: 22×3 + 0×7 + 0×9 + 0×10 + 1×5 + T29×8 + G16×4 + Q26×2 = 66+5+232+64+52 = 419;
    //   419 mod 11 = 1 (11×38 = 418); 11 − 1 = 10 → 'X', which it has: the organisation code is fine.
    // USCC: 9×1 + 1×3 + 3×9 + 5×27 + 0×19 + 1×26 + 0×16 + 0×17 + M21×20 + 0×29 + 0×25 + 0×13 + 1×8 + T26×24 + G16×10
    //   + Q24×30 + X29×28 = 9+3+27+135+26+420+8+624+160+720+812 = 2944; 2944 mod 31 = 30 (31×94 = 2914);
    //   31 − 30 = 1 → '1', but the code ends in 'M'.
    expect(validateUscc('91350100M0001TGQXM')).toEqual({
      ok: false,
      rule: 'check_character',
      message: "check character is 'M', expected '1' (character 18, GB 32100-2015)",
    });
  });

  describe('rule order', () => {
    it.each([
      ['the length before the alphabet', '9I350100M000100Y4', 'length'],
      ['the alphabet before the registration authority', 'BI350100M000100Y43', 'alphabet'],
      ['the registration authority before the category', 'B4990100M000100Y00', 'registration_authority'],
      ['the category before the division code', '94990100M000100Y00', 'organisation_category'],
      ['the division code before the check characters', '91990100M000100Y00', 'division_code'],
      ['the organisation code check before the check character', '91350100M000100Y00', 'organisation_code_check'],
    ])('reports %s', (_description, code, rule) => {
      expect(validateUscc(code)).toMatchObject({ ok: false, rule });
    });
  });

  describe('properties of generated valid codes', () => {
    const alphabetCharacter = fc.constantFrom(...ALPHABET);
    const validCode = fc
      .record({
        prefix: fc.constantFrom('91', '92', '93', '11', '12', '51', '52', '53', 'Y1', 'N2', 'A1'),
        province: fc.constantFrom('11', '33', '36', '61', '82'),
        county: fc.integer({ min: 0, max: 9999 }).map((county) => String(county).padStart(4, '0')),
        organisationBody: fc.array(alphabetCharacter, { minLength: 8, maxLength: 8 }).map((body) => body.join('')),
      })
      .map(({ prefix, province, county, organisationBody }) => {
        const organisationCode = organisationBody + organisationCodeCheckCharacter(organisationBody);
        const first17 = `${prefix}${province}${county}${organisationCode}`;
        return first17 + usccCheckCharacter(first17);
      });

    it('accepts every code whose check characters come from the two check functions', () => {
      fc.assert(
        fc.property(validCode, (code) => {
          expect(validateUscc(code)).toEqual({ ok: true, uscc: code, divisionCode: code.slice(2, 8) });
        }),
      );
    });

    it('refuses every code with one character replaced by another alphabet character', () => {
      // Mod 31 with weights that are never 0 mod 31 (31 is prime) moves the sum whenever one value changes.
      fc.assert(
        fc.property(
          validCode,
          fc.integer({ min: 1, max: 18 }),
          fc.integer({ min: 1, max: 30 }),
          (code, position, shift) => {
            const replaced = ALPHABET.charAt((ALPHABET.indexOf(code.charAt(position - 1)) + shift) % 31);
            expect(validateUscc(withCharacter(code, position, replaced)).ok).toBe(false);
          },
        ),
      );
    });

    it('refuses every code with two different adjacent characters among the first 17 swapped', () => {
      // Swapping values a ≠ b at weights w1 ≠ w2 moves the sum by (a − b)(w2 − w1), never 0 mod 31.
      fc.assert(
        fc.property(validCode, fc.integer({ min: 1, max: 16 }), (code, position) => {
          const first = code.charAt(position - 1);
          const second = code.charAt(position);
          fc.pre(first !== second);
          const swapped = withCharacter(withCharacter(code, position, second), position + 1, first);
          expect(validateUscc(swapped).ok).toBe(false);
        }),
      );
    });
  });
});

describe('usccCheckCharacter', () => {
  it('computes 3 for 91350100M000100Y4 (Σ = 1640, 1640 mod 31 = 28, 31 − 28 = 3)', () => {
    expect(usccCheckCharacter('91350100M000100Y4')).toBe('3');
  });

  it("writes 31 as '0': 93610902MA6Y00105 sums to 1767 = 31 × 57", () => {
    expect(usccCheckCharacter('93610902MA6Y00105')).toBe('0');
  });

  it.each([
    ['16 characters', '91350100M000100Y'],
    ['18 characters', '91350100M000100Y43'],
    ['a letter outside the alphabet', '91350100M000100I4'],
    ['lower-case letters', '91350100m000100y4'],
  ])('throws a RangeError for %s', (_description, first17) => {
    expect(() => usccCheckCharacter(first17)).toThrow(RangeError);
  });
});

describe('organisationCodeCheckCharacter', () => {
  it.each([
    // D2143569-X, the example usually quoted for GB 11714: D13×3 + 2×7 + 1×9 + 4×10 + 3×5 + 5×8 + 6×4 + 9×2
    //   = 39+14+9+40+15+40+24+18 = 199; 199 mod 11 = 1 (11×18 = 198); 11 − 1 = 10 → 'X'
    ['D2143569', 'X'],
    // M000100Y: 66 + 5 + 68 = 139; 139 mod 11 = 7; 11 − 7 = 4
    ['M000100Y', '4'],
    // 50000041: 15 + 16 + 2 = 33; 33 mod 11 = 0; 11 − 0 = 11 → '0'
    ['50000041', '0'],
    // ZZZZZZZZ uses letters the USCC alphabet leaves out, which GB 11714 allows: 35 × (3+7+9+10+5+8+4+2) = 35 × 48
    //   = 1680; 1680 mod 11 = 8 (11×152 = 1672); 11 − 8 = 3
    ['ZZZZZZZZ', '3'],
  ])('computes the check character of %s as %s', (first8, checkCharacter) => {
    expect(organisationCodeCheckCharacter(first8)).toBe(checkCharacter);
  });

  it.each(['M000100', 'M000100Y4', 'm000100y', 'M000-00Y'])('throws a RangeError for %s', (first8) => {
    expect(() => organisationCodeCheckCharacter(first8)).toThrow(RangeError);
  });
});

describe('validatePatentNumber', () => {
  describe('valid numbers, each check digit worked out by hand', () => {
    it.each([
      // 201710601862.3, the example on public explainers of the check digit:
      //   2×2 + 0×3 + 1×4 + 7×5 + 1×6 + 0×7 + 6×8 + 0×9 + 1×2 + 8×3 + 6×4 + 2×5 = 4+4+35+6+48+2+24+24+10 = 157;
      //   157 mod 11 = 3 (11×14 = 154) → '3'
      ['CN201710601862.3', '201710601862.3'],
      // ZL95115608.X, the 8-digit example on the same explainers:
      //   9×2 + 5×3 + 1×4 + 1×5 + 5×6 + 6×7 + 0×8 + 8×9 = 18+15+4+5+30+42+72 = 186; 186 mod 11 = 10 (11×16 = 176) → 'X'
      ['ZL95115608.X', '95115608.X'],
      // 97101765.4, likewise: 9×2 + 7×3 + 1×4 + 0×5 + 1×6 + 7×7 + 6×8 + 5×9 = 18+21+4+6+49+48+45 = 191;
      //   191 mod 11 = 4 (11×17 = 187) → '4'
      ['97101765.4', '97101765.4'],
      // 200410009458.X, the digits of 'ZL 200410009458.3' with the check digit they really have:
      //   2×2 + 0×3 + 0×4 + 4×5 + 1×6 + 0×7 + 0×8 + 0×9 + 9×2 + 4×3 + 5×4 + 8×5 = 4+20+6+18+12+20+40 = 120;
      //   120 mod 11 = 10 (11×10 = 110) → 'X'
      ['ZL 200410009458.X', '200410009458.X'],
      // 202310123456.6, constructed (invention): 2×2 + 0×3 + 2×4 + 3×5 + 1×6 + 0×7 + 1×8 + 2×9 + 3×2 + 4×3 + 5×4 + 6×5
      //   = 4+8+15+6+8+18+6+12+20+30 = 127; 127 mod 11 = 6 (11×11 = 121) → '6'
      ['202310123456.6', '202310123456.6'],
      // 202220123450.X, constructed (utility model): 2×2 + 0×3 + 2×4 + 2×5 + 2×6 + 0×7 + 1×8 + 2×9 + 3×2 + 4×3 + 5×4
      //   + 0×5 = 4+8+10+12+8+18+6+12+20 = 98; 98 mod 11 = 10 (11×8 = 88) → 'X'
      ['202220123450.X', '202220123450.X'],
      // 202430000001.0, constructed (design): 2×2 + 0×3 + 2×4 + 4×5 + 3×6 + 0×… + 1×5 = 4+8+20+18+5 = 55;
      //   55 mod 11 = 0 → '0'
      ['202430000001.0', '202430000001.0'],
      // 201980001234.9, constructed (PCT invention): 2×2 + 0×3 + 1×4 + 9×5 + 8×6 + 0×7 + 0×8 + 0×9 + 1×2 + 2×3 + 3×4
      //   + 4×5 = 4+4+45+48+2+6+12+20 = 141; 141 mod 11 = 9 (11×12 = 132) → '9'
      ['201980001234.9', '201980001234.9'],
    ])('%s is valid and normalises to %s', (input, normalised) => {
      expect(validatePatentNumber(input)).toEqual({ ok: true, normalised });
    });
  });

  it.each([
    ['a lower-case prefix and check digit', 'zl200410009458.x', '200410009458.X'],
    ['a CN prefix with a space', 'CN 201710601862.3', '201710601862.3'],
    ['the spaces the standard allows between year, type and serial', '  ZL 2017 1 0601862.3 ', '201710601862.3'],
    ['spaces in the 8-digit form', '95 1 15608.x', '95115608.X'],
  ])('accepts %s and removes it from the normalised number', (_description, input, normalised) => {
    expect(validatePatentNumber(input)).toEqual({ ok: true, normalised });
  });

  it('refuses ZL 200410009458.3, whose check digit is X (Σ = 120, 120 mod 11 = 10)', () => {
    expect(validatePatentNumber('ZL 200410009458.3')).toEqual({
      ok: false,
      rule: 'check_digit',
      message: "check digit is '3', expected 'X'",
    });
  });

  it.each([
    ['201710601862.3', ['4', '2']],
    ['95115608.X', ['0', '9']],
    ['97101765.4', ['5', '3']],
    ['202310123456.6', ['7', '5']],
    ['202430000001.0', ['1', 'X']],
  ])('refuses %s with its check digit one off either way', (number, wrongDigits) => {
    const right = number.slice(-1);
    for (const wrong of wrongDigits) {
      expect(validatePatentNumber(number.slice(0, -1) + wrong)).toEqual({
        ok: false,
        rule: 'check_digit',
        message: `check digit is '${wrong}', expected '${right}'`,
      });
    }
  });

  it.each(['0', '4', '5', '6', '7'])('refuses the patent type digit %s', (type) => {
    const result = validatePatentNumber(`2023${type}0123456.6`);
    expect(result).toMatchObject({ ok: false, rule: 'patent_type', message: expect.stringContaining(`'${type}'`) });
    expect(validatePatentNumber(`97${type}01765.4`)).toMatchObject({ ok: false, rule: 'patent_type' });
  });

  it.each([
    ['an empty string', ''],
    ['11 digits', '20231012345.6'],
    ['13 digits', '2023101234567.6'],
    ['no dot before the check digit', '2023101234566'],
    ['no check digit', '202310123456.'],
    ['two check digits', '202310123456.66'],
    ['a middle dot instead of a dot', '202310123456·6'],
    ['hyphens', '2023-1-0123456.6'],
    ['two spaces', '2023  10123456.6'],
    ['an unknown prefix', 'ZZ202310123456.6'],
    ['a check letter other than X', '202310123456.A'],
    ['full-width digits', '２０２３１０１２３４５６.６'],
    ['a 12-digit number dated before the form began on 2003-10-01', '200210123456.2'],
    ['an 8-digit number dated 2004, after the form ended', '04101765.4'],
    ['an 8-digit number dated 1984, before the office opened', '84101765.4'],
  ])('refuses %s as a format error', (_description, input) => {
    expect(validatePatentNumber(input)).toMatchObject({ ok: false, rule: 'format' });
  });

  it('accepts the first and last years of each form', () => {
    // 200310000001: 2×2 + 3×5 + 1×6 + 1×5 = 4+15+6+5 = 30; 30 mod 11 = 8
    expect(validatePatentNumber('200310000001.8')).toMatchObject({ ok: true });
    // 85100001: 8×2 + 5×3 + 1×4 + 1×9 = 16+15+4+9 = 44; 44 mod 11 = 0
    expect(validatePatentNumber('85100001.0')).toMatchObject({ ok: true });
    // 03100001: 0×2 + 3×3 + 1×4 + 1×9 = 9+4+9 = 22; 22 mod 11 = 0
    expect(validatePatentNumber('03100001.0')).toMatchObject({ ok: true });
  });
});

describe('patentCheckDigit', () => {
  it('computes X for 200410009458 (Σ = 120, 120 mod 11 = 10) and 4 for 97101765 (Σ = 191)', () => {
    expect(patentCheckDigit('200410009458')).toBe('X');
    expect(patentCheckDigit('97101765')).toBe('4');
  });

  it.each(['2004100094', '2004100094581', '2004100094X8', ''])('throws a RangeError for %p', (digits) => {
    expect(() => patentCheckDigit(digits)).toThrow(RangeError);
  });
});

describe('validateTrademarkNumber', () => {
  it.each([
    ['12345678', '12345678'],
    ['第12345678号', '12345678'],
    [' 第 12345678 号 ', '12345678'],
    ['1', '1'],
    ['123456789', '123456789'],
  ])('accepts %p as %p', (input, normalised) => {
    expect(validateTrademarkNumber(input)).toEqual({ ok: true, normalised });
  });

  it.each([
    ['an empty string', '', 'empty'],
    ['only spaces', '   ', 'empty'],
    ['第号 with nothing between', '第号', 'empty'],
    ['10 digits', '1234567890', 'length'],
    ['a letter', '12345A78', 'format'],
    ['thousands separators', '12,345,678', 'format'],
    ['a minus sign', '-1', 'format'],
    ['a space inside', '1234 5678', 'format'],
    ['full-width digits', '１２３４５６７８', 'format'],
  ])('refuses %s', (_description, input, rule) => {
    expect(validateTrademarkNumber(input)).toMatchObject({ ok: false, rule });
  });

  it('says how many digits are allowed', () => {
    expect(validateTrademarkNumber('1234567890')).toEqual({
      ok: false,
      rule: 'length',
      message: 'trademark registration number has at most 9 digits, this has 10',
    });
  });
});

describe.each([
  ['validateCopyrightNumber', validateCopyrightNumber, 'copyright registration number', '2023SR0123456'],
  ['validatePledgeRegistrationNo', validatePledgeRegistrationNo, 'pledge registration number', 'Y2024110000456'],
])('%s', (_name, validate, fieldName, example) => {
  it(`accepts ${example} and returns it trimmed`, () => {
    expect(validate(example)).toEqual({ ok: true, normalised: example });
    expect(validate(`  ${example}\n`)).toEqual({ ok: true, normalised: example });
  });

  it('accepts exactly 64 characters, counting an astral character once', () => {
    expect(validate('国'.repeat(64))).toEqual({ ok: true, normalised: '国'.repeat(64) });
    // U+20000 is one character but two UTF-16 units: 64 of them are 128 units and still allowed.
    expect(validate('\u{20000}'.repeat(64))).toMatchObject({ ok: true });
  });

  it('refuses 65 characters', () => {
    expect(validate('A'.repeat(65))).toEqual({
      ok: false,
      rule: 'length',
      message: `${fieldName} has at most 64 characters, this has 65`,
    });
  });

  it.each([
    ['an empty string', ''],
    ['spaces', '   '],
    ['a tab and a newline', '\t\n'],
  ])('refuses %s as empty', (_description, input) => {
    expect(validate(input)).toEqual({ ok: false, rule: 'empty', message: `${fieldName} is empty` });
  });

  it.each([
    ['a tab', '2023SR\t0123456', '0009'],
    ['a newline', '2023SR\n0123456', '000A'],
    ['a NUL', '2023SR\u00000123456', '0000'],
    ['a zero-width space', '2023SR\u200B0123456', '200B'],
    ['a right-to-left mark', '2023SR\u200F0123456', '200F'],
  ])('refuses %s inside the number', (_description, input, codePoint) => {
    expect(validate(input)).toEqual({
      ok: false,
      rule: 'control_character',
      message: `${fieldName} contains the invisible character U+${codePoint} at position 7`,
    });
  });
});

describe('validateCopyrightNumber with the works format', () => {
  it('accepts 国作登字-2023-F-00123456', () => {
    expect(validateCopyrightNumber('国作登字-2023-F-00123456')).toEqual({ ok: true, normalised: '国作登字-2023-F-00123456' });
  });
});
