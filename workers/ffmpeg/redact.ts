/**
 * Scrubs secrets from text before it is kept or logged: userinfo in URLs, Authorization
 * headers, key/token/password query parameters, and any literal secrets the caller names.
 */

const RULES: Array<[RegExp, string]> = [
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@'"]*@/gi, '$1***@'],
  [/\b(authorization|proxy-authorization)(\s*[:=]\s*)[^\r\n]*/gi, '$1$2***'],
  [/([?&;](?:key|token|secret|pass|password|passwd|pwd|auth|sig|signature)=)[^&\s'"]*/gi, '$1***'],
  [/\b(response|cnonce|nonce)="[^"]*"/gi, '$1="***"'],
];

export function redact(text: string, literals: readonly string[] = []): string {
  let out = text;
  for (const [re, rep] of RULES) out = out.replace(re, rep);
  for (const s of literals) {
    if (s.length >= 3) out = out.split(s).join('***');
    const enc = encodeURIComponent(s);
    if (enc !== s && enc.length >= 3) out = out.split(enc).join('***');
  }
  return out;
}
