/** A URL as it may be printed: any `user:password@` taken out. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, '$1');
}

/** Text from a git client or server with every URL's userinfo and every given secret taken out. */
export function redactText(text: string, secrets: Array<string | undefined>): string {
  let clean = text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s'"]*@/gi, '$1');
  for (const secret of secrets) {
    if (secret) clean = clean.split(secret).join('***');
  }
  return clean;
}
