// Personal-data detectors for dataset uploads (e-mail, phone, IBAN, card, NIR, IP, name headers) and a per-column scanner; browser-safe.
import Papa from "papaparse";

export type PiiKind = "email" | "phone" | "iban" | "card" | "nir" | "ip" | "name";
export type PiiValueKind = Exclude<PiiKind, "name">;

export interface PiiFinding {
  column: string;
  kind: PiiKind;
  matched: number;
  checked: number;
  /** matched / checked, where checked counts the column's non-empty values (1 for a name header). */
  share: number;
}

/** Internationalised addresses (RFC 6531: "inès.martin@example.com") are addresses too, hence letters of any script. */
const EMAIL =
  /^[\p{L}\p{N}.!#$%&'*+/=?^_`{|}~-]+@[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?)*\.\p{L}{2,63}$/u;

/** North-American national format, e.g. (415) 555-2671 or 415-555-2671; the separators keep bare integers out. */
const NANP_NATIONAL = /^\(?[2-9]\d{2}\)?[ .-]?\d{3}[ .-]\d{4}$/;

/** ISO 13616 IBAN length per country (SWIFT IBAN registry); unknown countries fall back to the generic 15–34. */
const IBAN_LENGTH: Record<string, number> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BR: 29, BY: 28, CH: 21, CR: 22, CY: 28,
  CZ: 24, DE: 22, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18,
  GR: 27, GT: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32,
  LI: 21, LT: 20, LU: 20, LV: 21, MC: 27, MD: 24, ME: 22, MK: 19, MR: 27, MT: 31, MU: 30, NL: 18, NO: 15, PK: 24,
  PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, SA: 24, SC: 31, SE: 24, SI: 19, SK: 24, SM: 27, ST: 25, SV: 28,
  TL: 23, TN: 24, TR: 26, UA: 29, VA: 22, VG: 24, XK: 20,
};

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isLetterCode(c: number): boolean {
  const lower = c | 32;
  return lower >= 97 && lower <= 122;
}

/** The Luhn checksum used by payment card numbers (ISO/IEC 7812). */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** ISO 13616 check: move the first four characters to the end, letters become 10–35, the number mod 97 must be 1. */
export function isValidIban(value: string): boolean {
  const iban = value.replace(/ /g, "").toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const expectedLength = IBAN_LENGTH[iban.slice(0, 2)];
  if (expectedLength !== undefined && iban.length !== expectedLength) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (let i = 0; i < rearranged.length; i++) {
    const c = rearranged.charCodeAt(i);
    // Digits fold in one at a time, letters as their two-digit value; the remainder stays far below 2^53.
    remainder = isDigitCode(c) ? (remainder * 10 + (c - 48)) % 97 : (remainder * 100 + (c - 55)) % 97;
  }
  return remainder === 1;
}

/**
 * French social security number (NIR): sex, year, month, department (2A/2B for Corsica), commune, order, then
 * a 2-digit key = 97 − (13-digit number mod 97). Corsica's 2A and 2B count as 19 and 18 in that number.
 */
export function isValidNir(value: string): boolean {
  const nir = value.replace(/ /g, "").toUpperCase();
  if (!/^[123478]\d{4}(?:\d{2}|2A|2B)\d{8}$/.test(nir)) return false;
  const month = Number(nir.slice(3, 5));
  // INSEE months: 01–12, 20 or 30–42 or 50–99 when the birth month is unknown or the number is provisional.
  if (month === 0 || (month > 12 && month < 20) || (month > 42 && month < 50)) return false;
  const department = nir.slice(5, 7);
  const body = nir.slice(0, 5) + (department === "2A" ? "19" : department === "2B" ? "18" : department) + nir.slice(7, 13);
  return 97 - (Number(body) % 97) === Number(nir.slice(13));
}

export function isValidIpv4(value: string): boolean {
  const parts = value.split(".");
  if (parts.length !== 4) return false;
  for (const part of parts) {
    // Leading zeros are rejected: 010 means octal to some tools and decimal to others, and version strings use them.
    if (part.length === 0 || part.length > 3 || (part.length > 1 && part[0] === "0")) return false;
    for (let i = 0; i < part.length; i++) if (!isDigitCode(part.charCodeAt(i))) return false;
    if (Number(part) > 255) return false;
  }
  return true;
}

export function isValidIpv6(value: string): boolean {
  const address = value.includes("%") ? value.slice(0, value.indexOf("%")) : value;
  if (address.length < 2 || !/^[0-9A-Fa-f:.]+$/.test(address)) return false;
  const halves = address.split("::");
  if (halves.length > 2) return false;
  const groups: string[] = [];
  for (const half of halves) if (half) groups.push(...half.split(":"));
  let count = 0;
  for (let i = 0; i < groups.length; i++) {
    const group = groups[i];
    if (i === groups.length - 1 && group.includes(".")) {
      // An embedded IPv4 address (::ffff:192.0.2.1) fills the last two groups.
      if (!isValidIpv4(group)) return false;
      count += 2;
    } else if (/^[0-9A-Fa-f]{1,4}$/.test(group)) count += 1;
    else return false;
  }
  return halves.length === 2 ? count < 8 : count === 8;
}

/**
 * Phone numbers: international (+CC or 00CC, 8–15 digits as E.164 allows) or national with a trunk 0
 * (06 12 34 56 78, 9–11 digits), or the North-American national layout. Bare integers not starting with
 * 0 are ids or amounts, and a single dot makes a decimal number, so neither counts.
 */
export function isLikelyPhone(value: string): boolean {
  let digits = "";
  let dots = 0;
  let otherSeparators = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (isDigitCode(c)) digits += value[i];
    else if (c === 46) dots++;
    else if (c === 32 || c === 45 || c === 40 || c === 41 || c === 47) otherSeparators++;
    else if (!(c === 43 && i === 0)) return false;
  }
  if (dots === 1 && otherSeparators === 0) return false;
  if (value.charCodeAt(0) === 43) return digits[0] !== "0" && digits.length >= 8 && digits.length <= 15;
  if (digits.startsWith("00")) return digits[2] !== "0" && digits.length >= 10 && digits.length <= 17;
  if (digits[0] === "0") return digits[1] !== "0" && digits.length >= 9 && digits.length <= 11;
  return NANP_NATIONAL.test(value);
}

/** Payment card: 13–19 digits (spaces or dashes between groups), an issuer prefix 2–6, and a valid Luhn sum. */
export function isLikelyCardNumber(value: string): boolean {
  let digits = "";
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (isDigitCode(c)) digits += value[i];
    else if (c !== 32 && c !== 45) return false;
  }
  if (digits.length < 13 || digits.length > 19) return false;
  const issuer = digits.charCodeAt(0);
  return issuer >= 50 && issuer <= 54 && passesLuhn(digits);
}

/**
 * The kind of personal data a single cell holds, or null. One pass counts character classes so that most
 * values (numbers, words, dates) are rejected before any regex or checksum runs.
 */
export function detectPiiValue(raw: string): PiiValueKind | null {
  let value = raw;
  if (value.length < 3 || value.length > 320) return null;
  if (value.charCodeAt(0) === 32 || value.charCodeAt(value.length - 1) === 32) value = value.trim();
  let digits = 0;
  let letters = 0;
  let at = false;
  let colon = false;
  let dot = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (isDigitCode(c)) digits++;
    else if (isLetterCode(c)) letters++;
    else if (c === 64) at = true;
    else if (c === 58) colon = true;
    else if (c === 46) dot = true;
  }
  if (at) return EMAIL.test(value) ? "email" : null;
  if (colon) return isValidIpv6(value) ? "ip" : null;
  if (digits < 4) return null;
  if (dot && letters === 0 && digits <= 12 && isValidIpv4(value)) return "ip";
  if (digits < 8) return null;
  if (letters > 0) {
    if (isLetterCode(value.charCodeAt(0)) && isLetterCode(value.charCodeAt(1)) && isValidIban(value)) return "iban";
    if (letters === 1 && isValidNir(value)) return "nir";
    return null;
  }
  // NIR before card: a random 15-digit number passes the NIR key 1 time in 97 but Luhn 1 time in 10.
  if (digits === 15 && isValidNir(value)) return "nir";
  if (digits >= 13 && isLikelyCardNumber(value)) return "card";
  return isLikelyPhone(value) ? "phone" : null;
}

/** A header split into lowercase ASCII words: "Prénom" → ["prenom"], "firstName" → ["first", "name"]. */
function headerWords(header: string): string[] {
  return header
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

const NAME_FIELDS = new Set([
  "name", "firstname", "lastname", "fullname", "surname", "forename", "forenames", "givenname", "familyname",
  "middlename", "maidenname", "birthname", "nom", "prenom", "prenoms", "nomdefamille", "nomdenaissance",
  "nomcomplet", "nomdusage", "nomprenom", "prenomnom",
]);

/** Who a qualified name column may belong to: "customer_name" is a person's name, "product_name" is not. */
const PERSON_QUALIFIERS = new Set([
  "customer", "client", "contact", "person", "employee", "patient", "member", "holder", "cardholder",
  "owner", "student", "applicant", "beneficiary", "passenger", "guest", "driver", "tenant", "subscriber",
  "recipient", "sender", "buyer", "seller", "manager", "father", "mother", "spouse",
]);

/**
 * Whether a column header suggests personal names. Qualified forms count only with a person word
 * ("customer_name", "nom_client"); "filename", "username", "product_name" and "company_name" do not
 * count, because a login or a thing's name is not a person's name (an e-mail used as username is still
 * caught by the value detectors).
 */
export function isLikelyNameHeader(header: string): boolean {
  const words = headerWords(header);
  if (words.length === 0) return false;
  for (let start = 0; start < words.length; start++) {
    for (let end = words.length; end > start; end--) {
      const field = words.slice(start, end).join("");
      if (!NAME_FIELDS.has(field)) continue;
      const others = [...words.slice(0, start), ...words.slice(end)].filter((w) => w !== "de" && w !== "du" && w !== "of");
      if (others.every((w) => PERSON_QUALIFIERS.has(w))) return true;
    }
  }
  return false;
}

const VALUE_KINDS: readonly PiiValueKind[] = ["email", "phone", "iban", "card", "nir", "ip"];

export interface PiiScanner {
  addRow(row: readonly string[]): void;
  /** One finding per column holding personal data: its most frequent kind, if at least minShare of its values. */
  findings(minShare?: number): PiiFinding[];
  readonly rowsScanned: number;
}

/** Counts, per column, the non-empty values and how many of them each detector matches. */
export function createPiiScanner(header: readonly string[], options: { maxRows?: number } = {}): PiiScanner {
  const maxRows = options.maxRows ?? Number.POSITIVE_INFINITY;
  const columns = header.length;
  const checked = new Float64Array(columns);
  // counts[column * kinds + kind]
  const counts = new Float64Array(columns * VALUE_KINDS.length);
  const kindIndex = new Map(VALUE_KINDS.map((kind, i) => [kind, i]));
  const nameHeader = header.map(isLikelyNameHeader);
  let rowsScanned = 0;

  return {
    get rowsScanned() {
      return rowsScanned;
    },
    addRow(row) {
      if (rowsScanned >= maxRows) return;
      rowsScanned++;
      const n = Math.min(columns, row.length);
      for (let col = 0; col < n; col++) {
        const value = row[col];
        if (value === "") continue;
        checked[col]++;
        const kind = detectPiiValue(value);
        if (kind !== null) counts[col * VALUE_KINDS.length + kindIndex.get(kind)!]++;
      }
    },
    findings(minShare = 0.1) {
      const result: PiiFinding[] = [];
      for (let col = 0; col < columns; col++) {
        let best = -1;
        for (let k = 0; k < VALUE_KINDS.length; k++) {
          const count = counts[col * VALUE_KINDS.length + k];
          if (count > 0 && (best < 0 || count > counts[col * VALUE_KINDS.length + best])) best = k;
        }
        const matched = best < 0 ? 0 : counts[col * VALUE_KINDS.length + best];
        const share = checked[col] > 0 ? matched / checked[col] : 0;
        if (best >= 0 && share >= minShare) {
          result.push({ column: header[col], kind: VALUE_KINDS[best], matched, checked: checked[col], share });
        } else if (nameHeader[col]) {
          result.push({ column: header[col], kind: "name", matched: checked[col], checked: checked[col], share: 1 });
        }
      }
      return result;
    },
  };
}

/**
 * Scans CSV text (a whole small file, or the first MB of a big one in the browser before upload: a row cut
 * at the end is then one odd value among thousands, which the shares absorb).
 */
export function scanCsvText(text: string, maxRows = 10_000): { header: string[]; findings: PiiFinding[]; rowsScanned: number } {
  const parsed = Papa.parse<string[]>(text, { delimiter: ",", skipEmptyLines: true, preview: maxRows + 1 });
  const [header = [], ...rows] = parsed.data;
  const scanner = createPiiScanner(header, { maxRows });
  for (const row of rows) scanner.addRow(row);
  return { header, findings: scanner.findings(), rowsScanned: scanner.rowsScanned };
}
