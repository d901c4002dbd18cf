// Words that envelopes print instead of numbers: month names (dmesg -T and journalctl follow the reader's
// locale), syslog facility/severity keywords (OpenWrt logread, dmesg -x, Vector) and level letters.

/**
 * Month names and abbreviations as glibc and ICU print them for en, de, fr, es, it, pt, nl, pl, ru and sv
 * (nominative and genitive forms, with and without the trailing dot, which the lookup strips), plus the
 * numeric CJK forms. Keys are lower-case; none is shared by two months.
 */
const MONTH_WORDS: readonly (readonly string[])[] = [
  ['jan', 'january', 'januar', 'jän', 'jänner', 'janv', 'janvier', 'ene', 'enero', 'gen', 'gennaio', 'janeiro',
    'januari', 'sty', 'styczeń', 'stycznia', 'янв', 'январь', 'января'],
  ['feb', 'february', 'februar', 'febr', 'févr', 'fév', 'fevr', 'février', 'febrero', 'febbraio', 'fev', 'fevereiro',
    'februari', 'lut', 'luty', 'lutego', 'фев', 'февр', 'февраль', 'февраля'],
  ['mar', 'march', 'mär', 'märz', 'mrz', 'mars', 'marzo', 'março', 'mrt', 'maart', 'marzec', 'marca', 'мар', 'март',
    'марта'],
  ['apr', 'april', 'avr', 'avril', 'abr', 'abril', 'aprile', 'kwi', 'kwiecień', 'kwietnia', 'апр', 'апрель', 'апреля'],
  ['may', 'mai', 'mayo', 'mag', 'maggio', 'maio', 'mei', 'maj', 'maja', 'мая', 'май'],
  ['jun', 'june', 'juni', 'juin', 'junio', 'giu', 'giugno', 'junho', 'cze', 'czerwiec', 'czerwca', 'июн', 'июнь', 'июня'],
  ['jul', 'july', 'juli', 'juil', 'juillet', 'julio', 'lug', 'luglio', 'julho', 'lip', 'lipiec', 'lipca', 'июл', 'июль',
    'июля'],
  ['aug', 'august', 'août', 'aout', 'ago', 'agosto', 'augustus', 'augusti', 'sie', 'sierpień', 'sierpnia', 'авг',
    'август', 'августа'],
  ['sep', 'sept', 'september', 'septembre', 'septiembre', 'setiembre', 'set', 'settembre', 'setembro', 'wrz',
    'wrzesień', 'września', 'сен', 'сент', 'сентябрь', 'сентября'],
  ['oct', 'october', 'okt', 'oktober', 'octobre', 'octubre', 'ott', 'ottobre', 'out', 'outubro', 'paź', 'październik',
    'października', 'окт', 'октябрь', 'октября'],
  ['nov', 'november', 'novembre', 'noviembre', 'novembro', 'lis', 'listopad', 'listopada', 'ноя', 'нояб', 'ноябрь',
    'ноября'],
  ['dec', 'december', 'dez', 'dezember', 'déc', 'décembre', 'dic', 'diciembre', 'dicembre', 'dezembro', 'gru',
    'grudzień', 'grudnia', 'дек', 'декабрь', 'декабря'],
];

const MONTHS = new Map<string, number>();
MONTH_WORDS.forEach((words, i) => {
  for (const w of words) MONTHS.set(w, i + 1);
  MONTHS.set(`${i + 1}月`, i + 1);
  MONTHS.set(`${i + 1}월`, i + 1);
});

/** syslog, rsyslog, OpenWrt and the C locale always print these, so they get a lookup without case folding. */
const ENGLISH_MONTHS = new Map<string, number>(
  ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].map((m, i) => [m, i + 1]),
);

/** 1–12 for the C-locale abbreviation ("May"), 0 otherwise. */
export function englishMonth(word: string | undefined): number {
  return word === undefined ? 0 : ENGLISH_MONTHS.get(word) ?? 0;
}

/** 1–12 for a month name or abbreviation in any supported locale ("May", "Mai", "mai.", "мая", "5月"), 0 otherwise. */
export function anyMonth(word: string | undefined): number {
  if (word === undefined) return 0;
  const en = ENGLISH_MONTHS.get(word);
  if (en !== undefined) return en;
  let w = word.toLowerCase();
  if (w.endsWith('.')) w = w.slice(0, -1);
  return MONTHS.get(w) ?? 0;
}

/** Level words for syslog severities 0–7: the syslog keywords, except "info" to match the applications' INFO. */
export const SEVERITY_LEVELS: readonly string[] = ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'info', 'debug'];

/** Severity keywords of syslog.h's prioritynames (what logread, dmesg -x and Vector print) and their numbers. */
export const SEVERITY_BY_NAME: ReadonlyMap<string, number> = new Map([
  ['emerg', 0], ['panic', 0], ['emergency', 0], ['alert', 1], ['crit', 2], ['critical', 2], ['err', 3], ['error', 3],
  ['warn', 4], ['warning', 4], ['notice', 5], ['info', 6], ['informational', 6], ['debug', 7],
]);

/** Facility keywords of syslog.h's facilitynames (plus the names Vector uses for 12–15) and their numbers. */
export const FACILITY_BY_NAME: ReadonlyMap<string, number> = new Map([
  ['kern', 0], ['user', 1], ['mail', 2], ['daemon', 3], ['auth', 4], ['security', 4], ['syslog', 5], ['lpr', 6],
  ['news', 7], ['uucp', 8], ['cron', 9], ['authpriv', 10], ['ftp', 11], ['ntp', 12], ['audit', 13], ['alert', 14],
  ['console', 14], ['clock', 15], ['clockd', 15], ['solaris-cron', 15], ['local0', 16], ['local1', 17], ['local2', 18], ['local3', 19],
  ['local4', 20], ['local5', 21], ['local6', 22], ['local7', 23],
]);

/** Android log priorities as logcat prints them. */
export const LOGCAT_LEVELS: ReadonlyMap<string, string> = new Map([
  ['V', 'verbose'], ['D', 'debug'], ['I', 'info'], ['W', 'warn'], ['E', 'error'], ['F', 'fatal'], ['A', 'assert'],
]);

/** Upper-case level words of wireguard-go and tracing, lower-cased without allocating per line. */
export const APP_LEVELS: ReadonlyMap<string, string> = new Map([
  ['TRACE', 'trace'], ['DEBUG', 'debug'], ['INFO', 'info'], ['WARN', 'warn'], ['ERROR', 'error'],
]);
