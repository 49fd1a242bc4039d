import type { Faker } from '@faker-js/faker';
import { UserError } from '../../core/errors.js';
import { asNumber, PyError, PyFunction, type PyObject } from './pyvalue.js';

/**
 * `fake`: the SDK exposes a Python Faker instance; here the same method names (`fake.email()`,
 * `fake.name()`, ...) are backed by @faker-js/faker, seeded by `faker_config.seed` and in the
 * `faker_config.locale` language. Loaded only when an expression uses `fake`.
 */
type Provider = (f: Faker, args: unknown[], kwargs: Record<string, unknown>) => unknown;

const n = (v: unknown, d: number) => asNumber(v) ?? d;

/** Python Faker provider names → faker-js. */
const PROVIDERS: Record<string, Provider> = {
  name: (f) => f.person.fullName(),
  first_name: (f) => f.person.firstName(),
  last_name: (f) => f.person.lastName(),
  prefix: (f) => f.person.prefix(),
  suffix: (f) => f.person.suffix(),
  job: (f) => f.person.jobTitle(),
  email: (f) => f.internet.email(),
  safe_email: (f) => f.internet.exampleEmail(),
  free_email: (f) => f.internet.email({ provider: f.helpers.arrayElement(['gmail.com', 'yahoo.com', 'hotmail.com']) }),
  company_email: (f) => f.internet.email({ provider: f.internet.domainName() }),
  user_name: (f) => f.internet.username(),
  password: (f, a, kw) => f.internet.password({ length: n(kw.length ?? a[0], 10) }),
  url: (f) => f.internet.url(),
  domain_name: (f) => f.internet.domainName(),
  ipv4: (f) => f.internet.ipv4(),
  ipv6: (f) => f.internet.ipv6(),
  mac_address: (f) => f.internet.mac(),
  user_agent: (f) => f.internet.userAgent(),
  phone_number: (f) => f.phone.number(),
  address: (f) => `${f.location.streetAddress()}\n${f.location.city()}, ${f.location.zipCode()}`,
  street_address: (f) => f.location.streetAddress(),
  street_name: (f) => f.location.street(),
  building_number: (f) => f.location.buildingNumber(),
  city: (f) => f.location.city(),
  state: (f) => f.location.state(),
  country: (f) => f.location.country(),
  country_code: (f) => f.location.countryCode(),
  postcode: (f) => f.location.zipCode(),
  zipcode: (f) => f.location.zipCode(),
  latitude: (f) => f.location.latitude(),
  longitude: (f) => f.location.longitude(),
  company: (f) => f.company.name(),
  catch_phrase: (f) => f.company.catchPhrase(),
  bs: (f) => f.company.buzzPhrase(),
  word: (f) => f.lorem.word(),
  words: (f, a, kw) => f.lorem.words(n(kw.nb ?? a[0], 3)).split(' '),
  sentence: (f) => f.lorem.sentence(),
  paragraph: (f) => f.lorem.paragraph(),
  text: (f, a, kw) => f.lorem.text().slice(0, n(kw.max_nb_chars ?? a[0], 200)),
  uuid4: (f) => f.string.uuid(),
  md5: (f) => f.string.hexadecimal({ length: 32, prefix: '' }).toLowerCase(),
  sha256: (f) => f.string.hexadecimal({ length: 64, prefix: '' }).toLowerCase(),
  pyint: (f, a, kw) => f.number.int({ min: n(kw.min_value ?? a[0], 0), max: n(kw.max_value ?? a[1], 9999) }),
  random_int: (f, a, kw) => f.number.int({ min: n(kw.min ?? a[0], 0), max: n(kw.max ?? a[1], 9999) }),
  random_number: (f, a, kw) => f.number.int({ max: 10 ** n(kw.digits ?? a[0], 3) - 1 }),
  pyfloat: (f) => f.number.float({ min: -1e6, max: 1e6, fractionDigits: 4 }),
  pybool: (f) => f.datatype.boolean(),
  boolean: (f) => f.datatype.boolean(),
  color_name: (f) => f.color.human(),
  hex_color: (f) => f.color.rgb(),
  credit_card_number: (f) => f.finance.creditCardNumber(),
  iban: (f) => f.finance.iban(),
  currency_code: (f) => f.finance.currencyCode(),
  date: (f) => f.date.past({ years: 30 }).toISOString().slice(0, 10),
  date_of_birth: (f) => f.date.birthdate().toISOString().slice(0, 10),
  date_time: (f) => f.date.past({ years: 30 }).toISOString().slice(0, 19),
  iso8601: (f) => f.date.past({ years: 30 }).toISOString().slice(0, 19),
  time: (f) => f.date.recent().toISOString().slice(11, 19),
  year: (f) => String(f.date.past({ years: 30 }).getUTCFullYear()),
  ssn: (f) => f.string.numeric(9),
  license_plate: (f) => f.vehicle.vrm(),
  file_name: (f) => f.system.fileName(),
  mime_type: (f) => f.system.mimeType(),
};

export const FAKE_PROVIDERS: ReadonlySet<string> = new Set(Object.keys(PROVIDERS));

class FakeProxy implements PyObject {
  readonly pyTypeName = 'Faker';
  constructor(private readonly faker: Faker) {}
  getAttr(name: string): unknown {
    const provider = Object.hasOwn(PROVIDERS, name) ? PROVIDERS[name] : undefined;
    if (!provider) throw new PyError('AttributeError', `'Faker' object has no attribute '${name}'`);
    return new PyFunction(name, (args, kwargs) => provider(this.faker, args, kwargs));
  }
}

/** `de_DE` → `de`, `en_US` → `en_US`: the faker-js locale closest to a Python Faker locale. */
async function loadLocale(locale: string): Promise<Faker> {
  const candidates = [locale, locale.replace('-', '_'), locale.split(/[_-]/)[0] as string];
  for (const id of candidates) {
    if (!/^[A-Za-z_]+$/.test(id)) continue;
    try {
      const mod = (await import(`@faker-js/faker/locale/${id}`)) as { faker: Faker };
      return mod.faker;
    } catch {
      // try the next candidate
    }
  }
  throw new UserError(`config: faker_config.locale '${locale}' is not a locale @faker-js/faker knows (e.g. en_US, de, fr, ja)`);
}

/** A seeded `fake` object for the expressions. */
export async function createFake(config: { seed?: unknown; locale?: unknown }): Promise<PyObject> {
  const locale = Array.isArray(config.locale) ? config.locale[0] : config.locale;
  const faker = await loadLocale(typeof locale === 'string' && locale ? locale : 'en_US');
  if (config.seed !== undefined && config.seed !== null) {
    const seed = typeof config.seed === 'number' ? config.seed : [...String(config.seed)].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) | 0, 7);
    faker.seed(seed);
  }
  return new FakeProxy(faker);
}
