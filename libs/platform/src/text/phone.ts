/**
 * Vietnamese phone numbers, normalised to E.164 (+84…): mobiles have 9 digits after the country code and
 * start with 3, 5, 7, 8 or 9; landlines have 10 and start with 2. Accepts 0… and +84/84… forms with
 * spaces, dots, dashes or parentheses. Returns null for anything else.
 */
export function normalizeVietnamesePhone(input: string): string | null {
  const compact = input.replace(/[\s.\-()]/g, '');
  let national: string;
  if (/^\+84\d+$/.test(compact)) national = compact.slice(3);
  else if (/^84\d{9,10}$/.test(compact)) national = compact.slice(2);
  else if (/^0\d+$/.test(compact)) national = compact.slice(1);
  else return null;
  if (national.startsWith('0')) national = national.slice(1);
  const mobile = /^[35789]\d{8}$/.test(national);
  const landline = /^2\d{9}$/.test(national);
  return mobile || landline ? `+84${national}` : null;
}
