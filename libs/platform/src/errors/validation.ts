import { ValidationError } from 'class-validator';
import { CommonErrors, DomainError, FieldError } from './domain-error';

/** Vietnamese reasons for the class-validator rules the DTOs use; the constraint's own text is the fallback. */
const REASONS: Record<string, (args: string) => string> = {
  isInt: () => 'phải là số nguyên',
  isNumber: () => 'phải là số',
  isPositive: () => 'phải là số dương',
  min: (m) => `phải lớn hơn hoặc bằng ${m}`,
  max: (m) => `phải nhỏ hơn hoặc bằng ${m}`,
  isString: () => 'phải là chuỗi ký tự',
  isNotEmpty: () => 'không được để trống',
  isDefined: () => 'là bắt buộc',
  isBoolean: () => 'phải là true hoặc false',
  isArray: () => 'phải là một danh sách',
  arrayMinSize: (m) => `phải có ít nhất ${m} phần tử`,
  arrayMaxSize: (m) => `có nhiều nhất ${m} phần tử`,
  arrayUnique: () => 'không được có phần tử trùng nhau',
  maxLength: (m) => `dài tối đa ${m} ký tự`,
  minLength: (m) => `dài tối thiểu ${m} ký tự`,
  isIn: (values) => `phải là một trong các giá trị: ${values}`,
  isEnum: (values) => `phải là một trong các giá trị: ${values}`,
  isUuid: () => 'phải là mã UUID',
  isEmail: () => 'phải là địa chỉ email hợp lệ',
  matches: () => 'không đúng định dạng',
  isDateString: () => 'phải là ngày hợp lệ theo định dạng YYYY-MM-DD',
  isIso8601: () => 'phải là thời điểm hợp lệ theo ISO 8601',
  isISO8601: () => 'phải là thời điểm hợp lệ theo ISO 8601',
  isObject: () => 'phải là một đối tượng',
  whitelistValidation: () => 'là trường không được phép',
  nestedValidation: () => 'không hợp lệ',
};

const BASIC_RULES = [
  'whitelistValidation',
  'isDefined',
  'isNotEmpty',
  'isString',
  'isInt',
  'isNumber',
  'isBoolean',
  'isArray',
  'isObject',
];

function priority(rule: string): number {
  const index = BASIC_RULES.indexOf(rule);
  return index >= 0 ? index : BASIC_RULES.length;
}

function lastNumber(message: string): string {
  const numbers = message.match(/-?\d+(\.\d+)?/g);
  return numbers ? numbers[numbers.length - 1] : '';
}

function listAfterColon(message: string): string {
  const index = message.lastIndexOf(':');
  return index >= 0 ? message.slice(index + 1).trim() : '';
}

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const field = /^\d+$/.test(error.property)
      ? `${prefix}[${error.property}]`
      : prefix
        ? `${prefix}.${error.property}`
        : error.property;
    // One reason per field: the most basic rule that failed ("abc" is first of all not a number).
    const [first] = Object.entries(error.constraints ?? {}).sort(([a], [b]) => priority(a) - priority(b));
    if (first) {
      const [rule, message] = first;
      const explain = REASONS[rule];
      const arg = rule === 'isIn' || rule === 'isEnum' ? listAfterColon(message) : lastNumber(message);
      // Constraints registered with a Vietnamese message by the DTO keep it as is.
      const custom = !/^[\x20-\x7e]*$/.test(message);
      out.push({ field, reason: custom || !explain ? message : explain(arg), rule });
    }
    if (error.children?.length) out.push(...flatten(error.children, field));
  }
  return out;
}

/** The reason given for a failed class-validator rule (`arg`: its bound or list), for checks written by hand. */
export function ruleReason(rule: string, arg = ''): string {
  return REASONS[rule](arg);
}

/** The global ValidationPipe's exceptionFactory: every failing field, with a reason, in one 400. */
export function validationErrorFactory(errors: ValidationError[]): DomainError {
  return CommonErrors.validation(flatten(errors));
}

/** Every failing field of a validated object, named under `prefix` (`people[3]` → `people[3].gender`). */
export function fieldErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  return flatten(errors, prefix);
}
