/**
 * Proof 3: golden text. The emitted C for representative types is compared
 * with test/thunk-fixtures/<name>.expected.c, so every change to the output
 * is deliberate. Regenerate with `UPDATE_GOLDEN=1 npx mocha out/test/thunk/golden.test.js`
 * (then review the diff).
 */

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ThunkOptions } from '../../server/src/core/thunk/index';
import { fixtures, sampleHeader, thunk } from './harness';

const shapes = path.join(fixtures, 'shapes.h');

/** name -> [header, options]: one representative per feature. */
export const goldenCases: Record<string, [string, ThunkOptions]> = {
  contoso_submit_batch_wdm: [sampleHeader, { type: 'CONTOSO_SUBMIT_BATCH', dispatch: 'wdm' }],
  contoso_open_session: [sampleHeader, { type: 'CONTOSO_OPEN_SESSION', dispatch: 'wdm', direction: 'in' }],
  contoso_session_info_kmdf: [sampleHeader, { type: 'CONTOSO_SESSION_INFO', dispatch: 'kmdf', direction: 'out' }],
  contoso_map_ring_pointer32: [sampleHeader, { type: 'CONTOSO_MAP_RING', style: 'pointer32' }],
  contoso_version_identical: [sampleHeader, { type: 'CONTOSO_VERSION' }],
  shape_batch_deep: [shapes, { type: 'SHAPE_BATCH', dispatch: 'kmdf' }],
  shape_batch_pointer32: [shapes, { type: 'SHAPE_BATCH', style: 'pointer32' }],
  shape_packed: [shapes, { type: 'SHAPE_PACKED' }],
  shape_aligned: [shapes, { type: 'SHAPE_ALIGNED' }],
  shape_bits: [shapes, { type: 'SHAPE_BITS' }],
  shape_inline: [shapes, { type: 'SHAPE_INLINE' }],
  shape_union_todo: [shapes, { type: 'SHAPE_UNION' }],
  shape_holder_existing_shadow: [shapes, { type: 'SHAPE_HOLDER' }],
  shape_stale_replacement: [shapes, { type: 'SHAPE_STALE' }],
  shape_counted_annotations: [shapes, { type: 'SHAPE_COUNTED' }],
  shape_old_replacement_same_names: [shapes, { type: 'SHAPE_OLD' }],
  shape_misc: [shapes, { type: 'SHAPE_MISC' }],
  shape_iosb_well_known: [shapes, { type: 'SHAPE_IOSB' }],
  shape_optional_array: [shapes, { type: 'SHAPE_OPTIONAL' }],
  member_arrays: [path.join(fixtures, 'members.h'), { type: 'MEMBER_ARRAYS' }],
  member_names_receive: [path.join(fixtures, 'members.h'), { type: 'MEMBER_NAMES', direction: 'out', dispatch: 'wdm' }],
  member_tagged_receive_kmdf: [path.join(fixtures, 'members.h'), { type: 'MEMBER_TAGGED', direction: 'out', dispatch: 'kmdf' }],
  member_packed: [path.join(fixtures, 'members.h'), { type: 'MEMBER_PACKED' }],
};

describe('thunk: golden text', () => {
  for (const [name, [header, options]] of Object.entries(goldenCases)) {
    it(name, () => {
      const result = thunk(header, options);
      assert.equal(result.error, undefined);
      const warnings = result.warnings.map((w) => `/* warning [${w.code}]: ${w.message} */\n`).join('');
      const text = warnings + result.text;
      const file = path.join(fixtures, `${name}.expected.c`);
      if (process.env.UPDATE_GOLDEN === '1') {
        fs.writeFileSync(file, text);
        return;
      }
      assert.ok(fs.existsSync(file), `missing golden ${file}: run with UPDATE_GOLDEN=1`);
      assert.equal(text, fs.readFileSync(file, 'utf8'), `${name}: output differs from ${path.relative(process.cwd(), file)} (UPDATE_GOLDEN=1 regenerates it)`);
    });
  }
});
