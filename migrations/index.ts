import { AdministrativeUnits1796119200000 } from './1796119200000-AdministrativeUnits';
import { AccountsAndAudit1796205600000 } from './1796205600000-AccountsAndAudit';
import { PeopleProgramsTrainers1796292000000 } from './1796292000000-PeopleProgramsTrainers';
import { ClassesAttendance1796378400000 } from './1796378400000-ClassesAttendance';
import { CertificatesJobs1796464800000 } from './1796464800000-CertificatesJobs';
import { TargetsKpiReports1796551200000 } from './1796551200000-TargetsKpiReports';
import { ReachAtScale1796637600000 } from './1796637600000-ReachAtScale';
import { PlansAndPeriods1796724000000 } from './1796724000000-PlansAndPeriods';
import { AttendancePrecedence1796724008000 } from './1796724008000-AttendancePrecedence';
import { PartnersApi1796724016000 } from './1796724016000-PartnersApi';
import { UnitScopePath1796731200000 } from './1796731200000-UnitScopePath';
import { ReportApprovalChain1796755000000 } from './1796755000000-ReportApprovalChain';
import { OidcIdentities1796757000000 } from './1796757000000-OidcIdentities';
import { Contests1796758300000 } from './1796758300000-Contests';
import { AttendanceOutbox1796760100000 } from './1796760100000-AttendanceOutbox';
import { DataFlags1796761000000 } from './1796761000000-DataFlags';
import { CertificateSigners1796765000000 } from './1796765000000-CertificateSigners';
import { JobListIndex1796770000000 } from './1796770000000-JobListIndex';
import { FlagResolvedByCorrection1796771000000 } from './1796771000000-FlagResolvedByCorrection';
import { AttendanceKeysBySet1796773000000 } from './1796773000000-AttendanceKeysBySet';
import { KpiRecordLevel1796775000000 } from './1796775000000-KpiRecordLevel';
import { FlagOutbox1796776000000 } from './1796776000000-FlagOutbox';

/** Every migration, oldest first. The service applies pending ones at start, under an advisory lock. */
export const MIGRATIONS = [
  AdministrativeUnits1796119200000,
  AccountsAndAudit1796205600000,
  PeopleProgramsTrainers1796292000000,
  ClassesAttendance1796378400000,
  CertificatesJobs1796464800000,
  TargetsKpiReports1796551200000,
  ReachAtScale1796637600000,
  PlansAndPeriods1796724000000,
  AttendancePrecedence1796724008000,
  PartnersApi1796724016000,
  UnitScopePath1796731200000,
  ReportApprovalChain1796755000000,
  OidcIdentities1796757000000,
  Contests1796758300000,
  AttendanceOutbox1796760100000,
  DataFlags1796761000000,
  CertificateSigners1796765000000,
  JobListIndex1796770000000,
  FlagResolvedByCorrection1796771000000,
  AttendanceKeysBySet1796773000000,
  KpiRecordLevel1796775000000,
  FlagOutbox1796776000000,
];
