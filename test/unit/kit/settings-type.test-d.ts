// Settings declared once: the schema is the source of the settings' TypeScript type (checked by tsc: vitest typecheck).
import { describe, expectTypeOf, it } from 'vitest';
import type { SettingsOf } from '../../../src/kit/config/settings-type.js';
import type { settings } from './settings-fixture.js';
import type { HarnessSettings, DoraSettings } from '../../../src/taps/harness/tap.js';
import type { BetterstackSettings } from '../../../src/taps/betterstack/tap.js';

describe('SettingsOf: the settings type inferred from the schema', () => {
  it('required and defaulted settings are present; the others optional; enums and arrays typed', () => {
    type S = SettingsOf<typeof settings>;
    expectTypeOf<S['api_key']>().toEqualTypeOf<string>();
    expectTypeOf<S['base_url']>().toEqualTypeOf<string>();
    expectTypeOf<S['page_size']>().toEqualTypeOf<number>();
    expectTypeOf<S['start_date']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<S['mode']>().toEqualTypeOf<'fast' | 'safe' | undefined>();
    expectTypeOf<S['projects']>().toEqualTypeOf<string[] | undefined>();
  });

  it('the taps\' settings types come from their schemas', () => {
    expectTypeOf<BetterstackSettings['incidents_lookback_days']>().toEqualTypeOf<number>();
    expectTypeOf<BetterstackSettings['per_page']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<HarnessSettings['page_size']>().toEqualTypeOf<number>();
    expectTypeOf<DoraSettings['widget_id']>().toEqualTypeOf<string>();
  });

});
