import { AUDIT_ENTITIES } from '../libs/audit/src';
import { AUTH_ENTITIES } from '../libs/auth/src';
import { CERTIFICATE_ENTITIES } from '../libs/certificates/src';
import { CLASS_ENTITIES } from '../libs/classes/src';
import { FLAG_ENTITIES } from '../libs/flags/src';
import { HIERARCHY_ENTITIES } from '../libs/hierarchy/src';
import { JOB_ENTITIES } from '../libs/jobs/src';
import { KPI_ENTITIES } from '../libs/kpi/src';
import { PARTNER_ENTITIES } from '../libs/partners/src';
import { PEOPLE_ENTITIES } from '../libs/people/src';
import { PROGRAM_ENTITIES } from '../libs/programs/src';
import { TRAINER_ENTITIES } from '../libs/trainers/src';
import { MIGRATIONS } from './index';

/** Every entity of every domain library: the schema the migrations must produce, exactly. */
export const ENTITIES = [
  ...HIERARCHY_ENTITIES,
  ...AUTH_ENTITIES,
  ...AUDIT_ENTITIES,
  ...PROGRAM_ENTITIES,
  ...PEOPLE_ENTITIES,
  ...TRAINER_ENTITIES,
  ...CLASS_ENTITIES,
  ...CERTIFICATE_ENTITIES,
  ...JOB_ENTITIES,
  ...KPI_ENTITIES,
  ...PARTNER_ENTITIES,
  ...FLAG_ENTITIES,
];

export { MIGRATIONS };
