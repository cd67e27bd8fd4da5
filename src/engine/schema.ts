/**
 * The zod every schema of the engine and the workbook is written in: `zod/mini`, zod's functional,
 * tree-shakable API over the same core as `import { z } from 'zod'`, so the practice page's
 * script carries only the parts its schemas use. Classic zod loads its English messages itself;
 * mini loads none ("Invalid input"), so this module sets English once, and every schema module
 * imports `z` from here, so the messages ("Too small: expected number to be >0") are classic's.
 */
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

z.config(en());

export { z };
