import type { components } from '../../../generated/taxonomy.ts';
import type { TaxonomyRunRow } from '../../store/taxonomy.ts';

type TaxonomyRun = components['schemas']['TaxonomyRun'];

/** The spec forbids null for optional fields: a NULL column is an absent property. */
export const runBody = (row: TaxonomyRunRow): TaxonomyRun =>
  Object.fromEntries(Object.entries(row).filter(([, value]) => value !== null)) as TaxonomyRun;
