/*
 * The examples of the partner API in the OpenAPI document. They tell one story — a school's LMS with a key for
 * program TN in Thái Nguyên (19) registers two learners (a third lives outside its scope), records lessons, a
 * level completion and an outcome, maps its xAPI activities and posts a statement — and the test suite runs
 * them in that order against a fresh service (test/partners/openapi-examples.e2e-spec.ts), comparing every
 * answer with the example answer (ids and times by their form).
 */
import { XAPI_VERBS } from './xapi.dto';

const ANH_TUYET = 'HV-2026-0117';
const DUC = 'HV-2026-0118';
const LEVEL_1 = 'https://lms.ictu.edu.vn/courses/ai-co-ban/cap-do-1';
const STATEMENT = '6f1d7a4e-2b1c-4e8a-9c3d-5a7b9e0f1c2d';
const PERSON_1 = '0b6f3c1e-8d2a-4f5b-9c7e-1a2b3c4d5e6f';
const PERSON_2 = '7d9e1f2a-3b4c-4d5e-8f6a-7b8c9d0e1f2a';
const ACTIVITIES = [
  { activityId: LEVEL_1, programCode: 'TN', level: 1 },
  {
    activityId: `${LEVEL_1}/bai-3`,
    programCode: 'TN',
    level: 1,
    lesson: 'Bài 3: Viết câu lệnh cho trợ lý AI',
  },
];

export const PARTNER_EXAMPLES = {
  people: {
    request: {
      people: [
        {
          externalId: ANH_TUYET,
          fullName: 'Nguyễn Thị Ánh Tuyết',
          birthYear: 1998,
          gender: 'female',
          communeCode: '05443',
          segment: 'student',
          cccd: '019198004521',
          phone: '0912 345 678',
        },
        {
          externalId: DUC,
          fullName: 'Hoàng Văn Đức',
          birthDate: '1985-09-02',
          gender: 'male',
          communeCode: '05692',
          segment: 'farmer',
        },
        {
          externalId: 'HV-2026-0119',
          fullName: 'Lê Minh Khang',
          birthYear: 2001,
          gender: 'male',
          communeCode: '00004',
          segment: 'student',
        },
      ],
    },
    response: {
      results: [
        { index: 0, externalId: ANH_TUYET, status: 'created', personId: PERSON_1, possibleDuplicate: false },
        { index: 1, externalId: DUC, status: 'created', personId: PERSON_2, possibleDuplicate: false },
        {
          index: 2,
          externalId: 'HV-2026-0119',
          status: 'rejected',
          personId: null,
          code: 'OUT_OF_SCOPE',
          reason: 'Nơi cư trú 00004 nằm ngoài phạm vi đơn vị của khóa API.',
        },
      ],
      summary: { created: 2, matched: 0, unchanged: 0, rejected: 1 },
    },
  },
  lookup: {
    request: { cccd: '019198004521', birthYear: 1998 },
    response: { found: true, personId: PERSON_1, externalId: ANH_TUYET },
  },
  person: {
    externalId: ANH_TUYET,
    response: {
      externalId: ANH_TUYET,
      personId: PERSON_1,
      commune: { code: '05443', fullName: 'Phường Phan Đình Phùng' },
      registeredAt: '2026-05-04T08:00:00.000Z',
    },
  },
  lessons: {
    request: {
      lessons: [
        {
          id: 'lms-lesson-5521',
          externalId: ANH_TUYET,
          programCode: 'TN',
          level: 1,
          lesson: 'Bài 1: Trí tuệ nhân tạo là gì',
          completedAt: '2026-05-04T20:15:00+07:00',
        },
        {
          id: 'lms-lesson-5522',
          externalId: ANH_TUYET,
          programCode: 'TN',
          level: 1,
          lesson: 'Bài 2: Trò chuyện với trợ lý AI',
          completedAt: '2026-05-05T20:40:00+07:00',
        },
      ],
    },
    response: {
      results: [
        {
          index: 0,
          id: 'lms-lesson-5521',
          status: 'recorded',
          recordId: '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
        },
        {
          index: 1,
          id: 'lms-lesson-5522',
          status: 'recorded',
          recordId: '2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a',
        },
      ],
      summary: { recorded: 2, duplicate: 0, rejected: 0 },
    },
  },
  completions: {
    request: {
      completions: [
        {
          id: 'lms-level-881',
          externalId: ANH_TUYET,
          programCode: 'TN',
          level: 1,
          completedAt: '2026-05-06T21:40:00+07:00',
          score: 86.5,
        },
        {
          id: 'lms-level-882',
          externalId: 'HV-2026-9999',
          programCode: 'TN',
          level: 1,
          completedAt: '2026-05-06T22:05:00+07:00',
        },
      ],
    },
    response: {
      results: [
        {
          index: 0,
          id: 'lms-level-881',
          status: 'recorded',
          recordId: '3e4f5a6b-7c8d-4e9f-8a1b-2c3d4e5f6a7b',
        },
        {
          index: 1,
          id: 'lms-level-882',
          status: 'rejected',
          recordId: null,
          code: 'PERSON_NOT_REGISTERED',
          reason: 'Chưa có người học mã "HV-2026-9999" của đối tác; hãy đăng ký qua /partner/people trước.',
        },
      ],
      summary: { recorded: 1, duplicate: 0, rejected: 1 },
    },
  },
  outcomes: {
    request: {
      outcomes: [
        {
          id: 'survey-2026-05-77',
          externalId: ANH_TUYET,
          programCode: 'TN',
          canApply: true,
          reportedAt: '2026-05-20T09:00:00+07:00',
        },
      ],
    },
    response: {
      results: [
        {
          index: 0,
          id: 'survey-2026-05-77',
          status: 'recorded',
          recordId: '4f5a6b7c-8d9e-4f0a-9b1c-2d3e4f5a6b7c',
        },
      ],
      summary: { recorded: 1, duplicate: 0, rejected: 0 },
    },
  },
  activities: {
    request: { activities: ACTIVITIES },
    response: { activities: ACTIVITIES },
  },
  statements: {
    request: [
      {
        id: STATEMENT,
        actor: {
          objectType: 'Agent',
          name: 'Hoàng Văn Đức',
          account: { homePage: 'https://lms.ictu.edu.vn', name: DUC },
        },
        verb: { id: XAPI_VERBS.completed, display: { 'vi-VN': 'đã hoàn thành' } },
        object: {
          objectType: 'Activity',
          id: LEVEL_1,
          definition: { name: { 'vi-VN': 'AI cơ bản — Cấp độ 1' } },
        },
        result: { completion: true, success: true, score: { scaled: 0.9 } },
        timestamp: '2026-05-08T19:30:00+07:00',
      },
    ],
    response: [STATEMENT],
  },
};
