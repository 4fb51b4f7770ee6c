import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { Type as TransformType } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/** Every list in the API pages the same way; out-of-range values are a 400, never silently clamped. */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @TransformType(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = DEFAULT_PAGE_SIZE;

  @ApiPropertyOptional({ minimum: 0, default: 0 })
  @IsOptional()
  @TransformType(() => Number)
  @IsInt()
  @Min(0)
  offset: number = 0;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
  /** Lists that count their matches only up to a cap: true when there are more than `total`. */
  totalCapped?: boolean;
}

/**
 * Where a capped list stops counting: a search matching a tenth of a province is not counted to the last
 * person (it would cost more than the page itself); it answers "more than 1,000". Deeper pages count up to
 * their own end.
 */
export const COUNT_CAP = 1000;

export function page<T>(items: T[], total: number, query: PageQueryDto, totalCapped?: boolean): Page<T> {
  return { items, total, limit: query.limit, offset: query.offset, ...(totalCapped ? { totalCapped } : {}) };
}

/**
 * The OpenAPI schema of a page of `model` (the generated clients see the item type, not `unknown`); `capped`:
 * the list counts only up to a cap (`totalCapped`).
 */
export function ApiPage(
  model: Type<unknown>,
  options: { capped?: boolean } = {},
): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(model),
    ApiOkResponse({
      schema: {
        type: 'object',
        required: ['items', 'total', 'limit', 'offset'],
        properties: {
          items: { type: 'array', items: { $ref: getSchemaPath(model) } },
          total: { type: 'integer', minimum: 0 },
          limit: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE },
          offset: { type: 'integer', minimum: 0 },
          ...(options.capped
            ? {
                totalCapped: {
                  type: 'boolean',
                  description: `Có hơn \`total\` kết quả (chỉ đếm đến ${COUNT_CAP}, hoặc đến hết trang)`,
                },
              }
            : {}),
        },
      },
    }),
  );
}
