import { ClassDto } from './class.dto';
import { ClassRow } from './class.repository';

export function toClassDto(c: ClassRow): ClassDto {
  return {
    id: c.id,
    programId: c.programId,
    level: c.level,
    kind: c.kind,
    title: c.title,
    leadTrainer: { id: c.leadTrainerId, fullName: c.leadName },
    assistants: c.assistants.map((a) => ({ id: a.id, fullName: a.fullName })),
    unit: { code: c.unitCode, fullName: c.unitName },
    venueType: c.venueType,
    venueAddress: c.venueAddress,
    mode: c.mode,
    capacity: c.capacity,
    enrolledCount: c.enrolledCount,
    targetSegment: c.targetSegment,
    status: c.status,
    sessions: c.sessions.map((s) => ({
      id: s.id,
      position: s.position,
      startsAt: new Date(s.startsAt).toISOString(),
      endsAt: new Date(s.endsAt).toISOString(),
    })),
  };
}
