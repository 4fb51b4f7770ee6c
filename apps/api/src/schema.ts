import { AUDIT_ENTITIES } from '../../../libs/audit/src';
import { AUTH_ENTITIES } from '../../../libs/auth/src';
import { HIERARCHY_ENTITIES } from '../../../libs/hierarchy/src';
import { MIGRATIONS } from '../../../migrations';

/** Every entity of every domain library: the schema the migrations must produce, exactly. */
export const ENTITIES = [...HIERARCHY_ENTITIES, ...AUTH_ENTITIES, ...AUDIT_ENTITIES];

export { MIGRATIONS };
