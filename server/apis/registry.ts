import { samplesApi } from './samples/index.ts';
import type { ApiModule } from './types.ts';

/** Every API the server answers, in the order their routes are tried. */
export const registry: ApiModule[] = [samplesApi];
