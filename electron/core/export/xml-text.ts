// What user text may go into an XML file CertDesk writes (the IIS mapping, the Apple profile). xmlbuilder2
// escapes markup (& < > "), but XML 1.0 has no way at all to write most control characters, and a parser turns
// a CR in text, or a TAB or line break in an attribute, into something else: such text is refused here with a
// clear error instead of being dropped or changed on the way (https://www.w3.org/TR/xml/#charsets, #AVNormalize).
import { CertDeskError } from '../../../shared/errors.js';

/** Characters no XML 1.0 text can hold (C0 controls, DEL, U+FFFE, U+FFFF, unpaired surrogates), TAB and LF aside. */
const NOT_IN_TEXT = /[\u0000-\u0008\u000b-\u001f\u007f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/u;
/** In an attribute value TAB and LF too: a parser reads them as spaces. */
const NOT_IN_ATTRIBUTE = /[\u0000-\u001f\u007f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/u;

function invalid(field: string, message: string): CertDeskError {
  return new CertDeskError('INVALID_INPUT', `${field}: ${message}`, { field });
}

/**
 * `value` unchanged when it is a non-blank string that XML element text carries exactly (TAB and LF allowed);
 * otherwise CertDeskError INVALID_INPUT "<field>: empty" or "<field>: contains a control character".
 */
export function xmlText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw invalid(field, 'empty');
  if (NOT_IN_TEXT.test(value)) throw invalid(field, 'contains a control character');
  return value;
}

/** Like xmlText for an attribute value, where TAB and LF are refused as well (a parser turns them into spaces). */
export function xmlAttribute(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw invalid(field, 'empty');
  if (NOT_IN_ATTRIBUTE.test(value)) throw invalid(field, 'contains a control character');
  return value;
}

/**
 * `value` as xmlbuilder2 must be given it to write exactly `value`. xmlbuilder2 4.0.3 escapes "&" only where it
 * does not start something shaped like an entity or character reference ("&name;", "&#digits;"), taking those for
 * text escaped already: "&lt;" would be read back as "<", and "&#1;" or "&undefined;" would make the file
 * unreadable. Escaping exactly those ampersands here makes xmlbuilder2's output parse back to `value`.
 * Every text and attribute value CertDesk hands to xmlbuilder2 goes through this.
 */
export function literal(value: string): string {
  return value.replace(/&(?=[A-Za-z]+;|#\d+;)/g, '&amp;');
}
