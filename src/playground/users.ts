/**
 * Deterministic fake users for the playground, shaped like fivetran-api-playground's records
 * (id, name, email, address, company, job, createdAt, updatedAt).
 *
 * Everything derives from a seeded PRNG and a FIXED reference instant, so the same seed yields
 * byte-identical data on every run and machine. No faker: small word lists are enough.
 */

/** One fake user, keys in the same order as the real playground's records. */
export interface User {
  id: string;
  name: string;
  email: string;
  address: string;
  company: string;
  job: string;
  /** `YYYY-MM-DDTHH:MM:SSZ`, UTC. */
  createdAt: string;
  /** `YYYY-MM-DDTHH:MM:SSZ`, UTC; createdAt + 0..59 min + 0..59 s. */
  updatedAt: string;
}

/** Number of users at scale 1 (the real playground's MAX_RECORDS). */
export const DEFAULT_USER_COUNT = 200;

/** The instant user N-1 is created (roughly) one hour before; user i about (N - i) hours before. */
export const REFERENCE_INSTANT = Date.UTC(2026, 0, 1, 0, 0, 0);

/** A small, fast 32-bit PRNG: returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Integer in [min, max], both inclusive. */
export function randInt(rnd: () => number, min: number, max: number): number {
  return min + Math.floor(rnd() * (max - min + 1));
}

export function pick<T>(rnd: () => number, list: readonly T[]): T {
  return list[Math.floor(rnd() * list.length)] as T;
}

/** `YYYY-MM-DDTHH:MM:SSZ` (UTC, second precision) for an epoch-milliseconds value. */
export function formatTimestamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19) + 'Z';
}

const FIRST_NAMES = [
  'James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth',
  'William', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Charles', 'Karen',
  'Daniel', 'Nancy', 'Matthew', 'Lisa', 'Anthony', 'Betty', 'Mark', 'Sandra', 'Steven', 'Ashley',
  'Andrew', 'Emily', 'Joshua', 'Michelle', 'Kevin', 'Amanda', 'Brian', 'Melissa', 'Priya', 'Wei',
] as const;

const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
  'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin',
  'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson',
  'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Nguyen', 'Hill', 'Flores', 'Patel',
] as const;

const EMAIL_DOMAINS = ['example.com', 'example.org', 'example.net'] as const;

const COMPANY_SUFFIXES = ['Inc', 'LLC', 'Ltd', 'Group', 'PLC', 'and Sons'] as const;

const JOBS = [
  'Software engineer', 'Data scientist', 'Accountant, chartered', 'Product manager', 'Civil engineer',
  'Graphic designer', 'Nurse, adult', 'Teacher, secondary school', 'Solicitor', 'Pharmacist',
  'Architect', 'Marketing executive', 'Financial analyst', 'Systems analyst', 'Chemist, analytical',
  'Journalist, newspaper', 'Librarian, public', 'Surveyor, land', 'Web designer', 'Physiotherapist',
  'Editor, magazine features', 'Sales executive', 'Research scientist (physical sciences)', 'Dentist',
  'Engineer, electrical', 'Human resources officer', 'Investment banker, corporate', 'Paramedic',
  'Psychologist, clinical', 'Quantity surveyor', 'Translator', 'Veterinary surgeon',
] as const;

const STREET_NAMES = [
  'Main', 'Oak', 'Pine', 'Maple', 'Cedar', 'Elm', 'Washington', 'Lake', 'Hill', 'Park',
  'Sunset', 'River', 'Church', 'Mill', 'Spring', 'Highland', 'Jackson', 'Franklin', 'Lincoln', 'Meadow',
] as const;

const STREET_SUFFIXES = ['St', 'Ave', 'Rd', 'Blvd', 'Ln', 'Dr', 'Ct', 'Way', 'Pl', 'Ter'] as const;

const CITIES = [
  'Springfield', 'Riverside', 'Franklin', 'Greenville', 'Bristol', 'Clinton', 'Fairview', 'Salem',
  'Madison', 'Georgetown', 'Arlington', 'Ashland', 'Dover', 'Oxford', 'Jackson', 'Burlington',
  'Manchester', 'Milton', 'Newport', 'Auburn',
] as const;

const STATES = [
  'AL', 'AK', 'AZ', 'AR', 'CA', 'CO', 'CT', 'DE', 'FL', 'GA', 'HI', 'ID', 'IL', 'IN', 'IA', 'KS', 'KY',
  'LA', 'ME', 'MD', 'MA', 'MI', 'MN', 'MS', 'MO', 'MT', 'NE', 'NV', 'NH', 'NJ', 'NM', 'NY', 'NC', 'ND',
  'OH', 'OK', 'OR', 'PA', 'RI', 'SC', 'SD', 'TN', 'TX', 'UT', 'VT', 'VA', 'WA', 'WV', 'WI', 'WY',
] as const;

/** The job titles users are drawn from (exported so mutations can pick a different one). */
export const JOB_TITLES: readonly string[] = JOBS;

/** A UUID-v4-shaped string made from 16 PRNG bytes (version nibble 4, variant 10xx). */
function uuidV4(rnd: () => number): string {
  const b: number[] = [];
  for (let i = 0; i < 16; i++) b.push(Math.floor(rnd() * 256));
  b[6] = ((b[6] as number) & 0x0f) | 0x40;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const h = b.map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function company(rnd: () => number): string {
  const a = pick(rnd, LAST_NAMES);
  const b = pick(rnd, LAST_NAMES);
  switch (randInt(rnd, 0, 2)) {
    case 0:
      return `${a} ${pick(rnd, COMPANY_SUFFIXES)}`;
    case 1:
      return `${a}-${b}`;
    default:
      return `${a}, ${b} and ${pick(rnd, LAST_NAMES)}`;
  }
}

function address(rnd: () => number): string {
  const number = randInt(rnd, 1, 9999);
  const street = `${pick(rnd, STREET_NAMES)} ${pick(rnd, STREET_SUFFIXES)}`;
  const unitRoll = randInt(rnd, 0, 3);
  const unit = unitRoll === 0 ? ` Apt. ${randInt(rnd, 1, 999)}` : unitRoll === 1 ? ` Suite ${randInt(rnd, 100, 999)}` : '';
  const zip = String(randInt(rnd, 501, 99950)).padStart(5, '0');
  return `${number} ${street}${unit}\n${pick(rnd, CITIES)}, ${pick(rnd, STATES)} ${zip}`;
}

/**
 * `count` users for `seed`. User i is created (count - i) hours and a random 0-59 min / 0-59 s
 * before REFERENCE_INSTANT, so createdAt strictly increases with i; updatedAt adds another
 * random 0-59 min / 0-59 s.
 */
export function generateUsers(seed: number, count: number = DEFAULT_USER_COUNT): User[] {
  const rnd = mulberry32(seed);
  const users: User[] = [];
  for (let i = 0; i < count; i++) {
    const id = uuidV4(rnd);
    const first = pick(rnd, FIRST_NAMES);
    const last = pick(rnd, LAST_NAMES);
    const email = `${first}.${last}${randInt(rnd, 1, 99)}@${pick(rnd, EMAIL_DOMAINS)}`.toLowerCase();
    const addr = address(rnd);
    const comp = company(rnd);
    const job = pick(rnd, JOBS);
    const created =
      REFERENCE_INSTANT - (count - i) * 3_600_000 - randInt(rnd, 0, 59) * 60_000 - randInt(rnd, 0, 59) * 1000;
    const updated = created + randInt(rnd, 0, 59) * 60_000 + randInt(rnd, 0, 59) * 1000;
    users.push({
      id,
      name: `${first} ${last}`,
      email,
      address: addr,
      company: comp,
      job,
      createdAt: formatTimestamp(created),
      updatedAt: formatTimestamp(updated),
    });
  }
  return users;
}

/** Users for a dataset `scale` (200 * scale, at least 1). */
export function userCountForScale(scale: number): number {
  return Math.max(1, Math.round(DEFAULT_USER_COUNT * scale));
}
