/**
 * Query-protocol XML in AWS's shape. Objects become child elements in key order, arrays become
 * `<member>` lists, dates are ISO-8601 to the second with `Z`, `undefined` members are left out.
 */
export type XmlValue = string | number | boolean | Date | undefined | XmlObject | XmlValue[];
export interface XmlObject {
  [element: string]: XmlValue;
}

/** Text content only (the one attribute, xmlns, is a constant); `\r` would be normalised away. */
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#xD;' };

/** Characters XML 1.0 cannot carry at all, not even as references (they can only come from
 * echoed invalid input, e.g. in a validation message). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function escapeXml(text: string): string {
  return text.replace(NOT_XML, '\uFFFD').replace(/[&<>\r]/g, (char) => ENTITIES[char] ?? char);
}

/** IAM and STS write timestamps without milliseconds. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function content(value: XmlValue): string {
  if (value instanceof Date) return isoSeconds(value);
  if (Array.isArray(value)) return value.map((item) => element('member', item)).join('');
  if (typeof value === 'object') {
    return Object.entries(value)
      .map(([name, child]) => element(name, child))
      .join('');
  }
  return escapeXml(String(value));
}

function element(name: string, value: XmlValue): string {
  if (value === undefined) return '';
  return `<${name}>${content(value)}</${name}>`;
}

export function responseXml(
  action: string,
  namespace: string,
  result: XmlObject | undefined,
  requestId: string,
): string {
  const body = result === undefined ? '' : element(`${action}Result`, result);
  const metadata = element('ResponseMetadata', { RequestId: requestId });
  return `<${action}Response xmlns="${namespace}">${body}${metadata}</${action}Response>\n`;
}

export function errorXml(
  namespace: string,
  error: { type: 'Sender' | 'Receiver'; code: string; message: string },
  requestId: string,
): string {
  const inner = element('Error', { Type: error.type, Code: error.code, Message: error.message });
  return `<ErrorResponse xmlns="${namespace}">${inner}${element('RequestId', requestId)}</ErrorResponse>\n`;
}
