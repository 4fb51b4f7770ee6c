import { PersonDto } from './person.dto';
import { PersonRow } from './person.repository';

export function maskCccd(cccd: string): string {
  return `${cccd.slice(0, 3)}******${cccd.slice(-3)}`;
}

export function maskPhone(phone: string): string {
  return `${phone.slice(0, 5)}****${phone.slice(-3)}`;
}

/** The only shape in which a person leaves the service; personal data masked unless `full`. */
export function toPersonDto(person: PersonRow, full: boolean): PersonDto {
  return {
    id: person.id,
    fullName: person.fullName,
    birthDate: full ? person.birthDate : null,
    birthYear: person.birthYear,
    gender: person.gender,
    commune: { code: person.communeCode, fullName: person.communeName },
    province: person.provinceCode ? { code: person.provinceCode, fullName: person.provinceName ?? '' } : null,
    segment: person.segment,
    organisation: person.organisationId
      ? { id: person.organisationId, name: person.organisationName ?? '' }
      : null,
    cccd: person.cccd ? (full ? person.cccd : maskCccd(person.cccd)) : null,
    phone: person.phone ? (full ? person.phone : maskPhone(person.phone)) : null,
    personalData: full,
    mergedIntoId: person.mergedIntoId,
    createdAt: new Date(person.createdAt).toISOString(),
  };
}
