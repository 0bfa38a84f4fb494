// LanguageCode: JSON headers carry the name, binary headers the code (remoting.md §6).
const LANGUAGES = [
  'JAVA', 'CPP', 'DOTNET', 'PYTHON', 'DELPHI', 'ERLANG', 'RUBY', 'OTHER', 'HTTP', 'GO', 'PHP', 'OMS', 'RUST', 'NODE_JS',
] as const;

export function languageCode(name: string | undefined): number {
  const i = LANGUAGES.indexOf((name ?? 'JAVA') as (typeof LANGUAGES)[number]);
  return i < 0 ? LANGUAGES.indexOf('OTHER') : i;
}

export function languageName(code: number): string | undefined {
  return LANGUAGES[code];
}

/** fastjson accepts the enum name or its ordinal; unknown names become null (kept here as undefined). */
export function parseLanguage(v: unknown): string | undefined {
  if (typeof v === 'number') return languageName(v);
  if (typeof v === 'string') return (LANGUAGES as readonly string[]).includes(v) ? v : undefined;
  return undefined;
}
