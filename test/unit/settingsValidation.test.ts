// The Settings editor must show no error on our settings: every contributed default, and every value the
// README suggests, passes VS Code's own validation of setting values. The rules below are ported from VS
// Code (src/vs/workbench/services/preferences/common/preferencesValidation.ts, MIT, the same in 1.100 and
// 1.139) for the kinds of settings this extension contributes — including its floating-point `multipleOf`
// (`value % multipleOf === 0`, so 0.5 is not a "multiple of 0.05") — and fed the way the Settings editor
// feeds them: number and text boxes pass the text they show (a number's toString(), '' for null).
import * as assert from 'assert';
import * as fs from 'fs';
import { parse as parseJsonc } from 'jsonc-parser';
import * as path from 'path';
import { configurationProperties } from '../support/manifest';

interface SettingSchema {
  type?: string | string[];
  default?: unknown;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  patternErrorMessage?: string;
  format?: string;
  items?: unknown;
  properties?: unknown;
  additionalProperties?: boolean;
  errorMessage?: string;
}

const ROOT = path.resolve(__dirname, '..', '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const SETTINGS: Record<string, SettingSchema> = configurationProperties<SettingSchema>(pkg);
const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

const typesOf = (s: SettingSchema): (string | undefined)[] => (Array.isArray(s.type) ? s.type : [s.type]);
const isNullOrEmpty = (v: unknown) => v === '' || v === undefined || v === null;

/** VS Code's `toRegExp`: with the u flag when the pattern allows it. */
function toRegExp(pattern: string): RegExp {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    return new RegExp(pattern);
  }
}

/** VS Code's getNumericValidators: the messages a number gets. */
function numericErrors(s: SettingSchema, value: number): string[] {
  const types = typesOf(s);
  const nullable = types.includes('null');
  const integral = types.includes('integer') && (types.length === 1 || (types.length === 2 && nullable));
  const exclusiveMax = typeof s.exclusiveMaximum === 'boolean' ? (s.exclusiveMaximum ? s.maximum : undefined) : s.exclusiveMaximum;
  const exclusiveMin = typeof s.exclusiveMinimum === 'boolean' ? (s.exclusiveMinimum ? s.minimum : undefined) : s.exclusiveMinimum;
  const rules: Array<[boolean, () => boolean, string]> = [
    [exclusiveMax !== undefined && (s.maximum === undefined || exclusiveMax <= s.maximum), () => value < exclusiveMax!, `Value must be strictly less than ${exclusiveMax}.`],
    [exclusiveMin !== undefined && (s.minimum === undefined || exclusiveMin >= s.minimum), () => value > exclusiveMin!, `Value must be strictly greater than ${exclusiveMin}.`],
    [s.maximum !== undefined && (exclusiveMax === undefined || exclusiveMax > s.maximum), () => value <= s.maximum!, `Value must be less than or equal to ${s.maximum}.`],
    [s.minimum !== undefined && (exclusiveMin === undefined || exclusiveMin < s.minimum), () => value >= s.minimum!, `Value must be greater than or equal to ${s.minimum}.`],
    [s.multipleOf !== undefined, () => value % s.multipleOf! === 0, `Value must be a multiple of ${s.multipleOf}.`],
    [integral, () => value % 1 === 0, 'Value must be an integer.'],
  ];
  return rules.filter(([enabled, valid]) => enabled && !valid()).map(([, , message]) => message);
}

/** VS Code's getStringValidators: the messages a string gets. */
function stringErrors(s: SettingSchema, value: string): string[] {
  const uri = /^(([^:/?#]+?):)?(\/\/([^/?#]*))?([^?#]*)(\?([^#]*))?(#(.*))?/;
  const isUri = s.format === 'uri' || s.format === 'uri-reference';
  const rules: Array<[boolean, () => boolean, string]> = [
    [s.maxLength !== undefined, () => value.length <= s.maxLength!, `Value must be ${s.maxLength} or fewer characters long.`],
    [s.minLength !== undefined, () => value.length >= s.minLength!, `Value must be ${s.minLength} or more characters long.`],
    [typeof s.pattern === 'string', () => toRegExp(s.pattern!).test(value), s.patternErrorMessage || `Value must match regex \`${s.pattern}\`.`],
    [isUri, () => !!value.length, 'URI expected.'],
    [isUri, () => uri.test(value), 'URI is expected.'],
    [s.format === 'uri', () => !!value.match(uri)?.[2], 'URI with a scheme is expected.'],
    [s.enum !== undefined, () => s.enum!.includes(value), `Value is not accepted. Valid values: ${(s.enum ?? []).map((k) => `"${k}"`).join(', ')}.`],
  ];
  return rules.filter(([enabled, valid]) => enabled && !valid()).map(([, , message]) => message);
}

/** VS Code's createValidator(schema)(value): '' when valid, else the message the Settings editor shows. */
export function validate(s: SettingSchema, value: unknown): string {
  const types = typesOf(s);
  if (s.type === 'object') return objectErrors(s, value);
  if (types.some((t) => t === 'array' || t === 'object') || s.format === 'color-hex') {
    throw new Error(`VS Code's rules for ${JSON.stringify(s.type)}${s.format ? ` (${s.format})` : ''} settings are not ported here yet: port them first`);
  }
  const nullable = types.includes('null');
  const numeric = (types.includes('number') || types.includes('integer')) && (types.length === 1 || (types.length === 2 && nullable));
  if (nullable && isNullOrEmpty(value)) return '';
  const errors: string[] = [];
  if (s.type === 'boolean' && value !== true && value !== false) errors.push('Incorrect type. Expected "boolean".');
  if (numeric) {
    if (isNullOrEmpty(value) || typeof value === 'boolean' || Array.isArray(value) || isNaN(+(value as number))) errors.push('Value must be a number.');
    else errors.push(...numericErrors(s, +(value as number)));
  }
  if (s.type === 'string') {
    if (s.enum && !s.enum.every((e) => typeof e === 'string')) errors.push('The enum options should be strings, but there is a non-string option.');
    else if (typeof value !== 'string') errors.push('Incorrect type. Expected "string".');
    else errors.push(...stringErrors(s, value));
  }
  return errors.length ? [s.errorMessage, ...errors].filter(Boolean).join(' ') : '';
}

/** VS Code's getObjectValidator, for what our object settings use: `properties` and `additionalProperties: false`. */
function objectErrors(s: SettingSchema, value: unknown): string {
  if (!value) return '';
  if (typeof value !== 'object' || Array.isArray(value)) return 'Incorrect type. Expected an object.';
  const properties = (s.properties ?? {}) as Record<string, SettingSchema>;
  const errors = Object.entries(value).map(([key, data]) => {
    if (key in properties) {
      const error = validate(properties[key], data);
      return error && `${key}: ${error}\n`;
    }
    return s.additionalProperties === false ? `Property ${key} is not allowed.\n` : '';
  });
  return errors.join('');
}

/** What the Settings editor validates for a value: the text its number or text box shows. */
function asShown(s: SettingSchema, value: unknown): unknown {
  const types = typesOf(s);
  if (types.includes('number') || types.includes('integer')) return typeof value === 'number' ? value.toString() : '';
  if (s.type === 'string' && s.enum === undefined) return value ?? '';
  return value; // checkboxes and drop-downs are not validated as text
}

/** The values the README's settings table suggests for a setting: its default, and those named in its description. */
function readmeValues(id: string, s: SettingSchema): unknown[] {
  const row = new RegExp(`^\\|\\s*\`${id.replace(/\./g, '\\.')}\`\\s*\\|\\s*\`([^\`]*)\`\\s*\\|(.*)\\|\\s*$`, 'm').exec(readme);
  if (!row) throw new Error(`README.md has no settings row for ${id}`);
  const [, defaultText, description] = row;
  const values: unknown[] = [JSON.parse(defaultText)];
  const types = typesOf(s);
  if (s.type === 'object') values.push(...readmeObjectExamples(id));
  if (types.includes('string')) values.push(...[...description.matchAll(/`([^`]+)`/g)].map((m) => m[1]));
  if (types.includes('number') || types.includes('integer')) {
    values.push(...[...description.matchAll(/(?<![\w.])\d+(?:\.\d+)?(?!\w|\.\d)/g)].map((m) => Number(m[0])));
    const step = /steps? of (\d+(?:\.\d+)?)/.exec(description);
    if (step && s.minimum !== undefined && s.maximum !== undefined) {
      // Every value on the stated step, as a user types it ("0.15", not 0.15000000000000002).
      const size = Number(step[1]);
      const decimals = step[1].split('.')[1]?.length ?? 0;
      for (let k = 0; s.minimum + k * size <= s.maximum + size / 2; k++) values.push(Number((s.minimum + k * size).toFixed(decimals)));
    }
  }
  return values;
}

/** An object setting's values in the README's jsonc examples (`{ "<id>": {…} }` blocks). */
function readmeObjectExamples(id: string): unknown[] {
  return [...readme.matchAll(/```jsonc\n([\s\S]*?)```/g)].map((m) => parseJsonc(m[1])?.[id]).filter((v) => v !== undefined);
}

describe("settings pass VS Code's own validation (the Settings editor shows no error)", () => {
  it('the port reproduces VS Code: 0.5 is not a "multiple of 0.05", 0.4 is out of a 0.5 minimum, "x" is no URI', () => {
    assert.strictEqual(validate({ type: 'number', multipleOf: 0.05 }, '0.5'), 'Value must be a multiple of 0.05.');
    assert.strictEqual(validate({ type: 'number', multipleOf: 0.25 }, '0.5'), '');
    assert.strictEqual(validate({ type: 'number', minimum: 0.5 }, '0.4'), 'Value must be greater than or equal to 0.5.');
    assert.strictEqual(validate({ type: 'integer' }, '1.5'), 'Value must be an integer.');
    assert.strictEqual(validate({ type: ['integer', 'null'] }, ''), '');
    assert.strictEqual(validate({ type: 'string', format: 'uri' }, ''), 'URI expected. URI with a scheme is expected.');
    assert.strictEqual(validate({ type: 'string', pattern: '^a+$' }, 'b'), 'Value must match regex `^a+$`.');
    assert.strictEqual(validate({ type: 'string', enum: ['a'] }, 'b'), 'Value is not accepted. Valid values: "a".');
    assert.strictEqual(validate({ type: 'boolean' }, 'true'), 'Incorrect type. Expected "boolean".');
  });

  for (const [id, schema] of Object.entries(SETTINGS)) {
    it(`${id}: the default and the values the README suggests`, () => {
      const values = [schema.default, ...readmeValues(id, schema)];
      const flagged = values.map((value) => ({ value, error: validate(schema, asShown(schema, value)) })).filter((r) => r.error);
      assert.deepStrictEqual(flagged, []);
    });
  }
});
