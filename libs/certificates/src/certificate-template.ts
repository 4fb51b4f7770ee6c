import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { FONT_FILES, FontName, projectRoot } from '../../platform/src';

export const PLACEHOLDERS = [
  'issuer',
  'learnerName',
  'birthYear',
  'commune',
  'province',
  'programName',
  'level',
  'levelTitle',
  'serial',
  'issueDate',
  'placeAndDate',
  'signerTitle',
  'signerName',
  'verifyUrl',
] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type CertificateFields = Record<Placeholder, string>;

interface TextElement {
  type: 'text';
  text: string;
  x: number;
  y: number;
  width?: number;
  align?: 'left' | 'center' | 'right';
  font: FontName;
  size: number;
  color?: string;
  uppercase?: boolean;
  characterSpacing?: number;
}
interface LineElement {
  type: 'line';
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  width?: number;
  color?: string;
}
interface ImageElement {
  type: 'image';
  file: string;
  x: number;
  y: number;
  width: number;
}
interface QrElement {
  type: 'qr';
  value: string;
  x: number;
  y: number;
  size: number;
}
export type TemplateElement = TextElement | LineElement | ImageElement | QrElement;

export interface CertificateTemplate {
  id: string;
  name: string;
  page: { size: 'A4' | 'A5'; layout: 'landscape' | 'portrait' };
  colors: Record<string, string>;
  border: {
    color: string;
    outer?: { inset: number; width: number };
    inner?: { inset: number; width: number };
  } | null;
  background: { image: string } | null;
  seal: { image: string; x: number; y: number; width: number } | null;
  /** Where the issuing unit's own seal (set per unit, certificate_signer) is printed, when it has one. */
  unitSeal: { x: number; y: number; width: number } | null;
  elements: TemplateElement[];
  /** Absolute paths of the images, checked at start. */
  folder: string;
}

export class TemplateError extends Error {}

const HEX = /^#[0-9a-fA-F]{6}$/;

/** Checks one template file; throws naming the file and the element at fault. */
export function validateTemplate(id: string, raw: unknown, folder: string): CertificateTemplate {
  const fail = (where: string, reason: string): never => {
    throw new TemplateError(`Certificate template ${id}.json: ${where} ${reason}`);
  };
  if (typeof raw !== 'object' || raw === null) fail('the file', 'is not a JSON object');
  const t = raw as Record<string, unknown>;
  if (typeof t.name !== 'string' || !t.name) fail('"name"', 'is required');
  const page = t.page as CertificateTemplate['page'] | undefined;
  if (!page || !['A4', 'A5'].includes(page.size) || !['landscape', 'portrait'].includes(page.layout)) {
    fail('"page"', 'must be { "size": "A4" | "A5", "layout": "landscape" | "portrait" }');
  }
  const colors = (t.colors ?? {}) as Record<string, string>;
  for (const [name, value] of Object.entries(colors))
    if (!HEX.test(value)) fail(`colors.${name}`, 'must be #rrggbb');
  const color = (value: unknown, where: string) => {
    if (value === undefined) return;
    if (typeof value !== 'string' || (!HEX.test(value) && !(value in colors)))
      fail(where, 'must be #rrggbb or a name from "colors"');
  };
  const number = (value: unknown, where: string) => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 2000)
      fail(where, 'must be a number of points');
  };
  const image = (file: unknown, where: string) => {
    if (typeof file !== 'string' || !/^[\w.-]+\.(png|jpe?g)$/i.test(file))
      fail(where, 'must be a PNG or JPEG file name in this folder');
    if (!existsSync(join(folder, file as string))) fail(where, `names ${String(file)}, which does not exist`);
  };
  const border = (t.border ?? null) as CertificateTemplate['border'];
  if (border) {
    color(border.color, 'border.color');
    for (const key of ['outer', 'inner'] as const) {
      if (border[key]) {
        number(border[key].inset, `border.${key}.inset`);
        number(border[key].width, `border.${key}.width`);
      }
    }
  }
  const background = (t.background ?? null) as CertificateTemplate['background'];
  if (background) image(background.image, 'background.image');
  const seal = (t.seal ?? null) as CertificateTemplate['seal'];
  if (seal) {
    image(seal.image, 'seal.image');
    number(seal.x, 'seal.x');
    number(seal.y, 'seal.y');
    number(seal.width, 'seal.width');
  }
  const unitSeal = (t.unitSeal ?? null) as CertificateTemplate['unitSeal'];
  if (unitSeal) {
    number(unitSeal.x, 'unitSeal.x');
    number(unitSeal.y, 'unitSeal.y');
    number(unitSeal.width, 'unitSeal.width');
  }
  if (!Array.isArray(t.elements) || !t.elements.length) fail('"elements"', 'must be a non-empty list');
  const elements = t.elements as TemplateElement[];
  const used = new Set<string>();
  const placeholders = (text: string, where: string) => {
    for (const [, name] of text.matchAll(/\{(\w+)\}/g)) {
      if (!(PLACEHOLDERS as readonly string[]).includes(name))
        fail(where, `uses an unknown placeholder {${name}}`);
      used.add(name);
    }
  };
  elements.forEach((e, i) => {
    const where = `elements[${i}]`;
    switch (e?.type) {
      case 'text':
        if (typeof e.text !== 'string') fail(`${where}.text`, 'is required');
        placeholders(e.text, `${where}.text`);
        number(e.x, `${where}.x`);
        number(e.y, `${where}.y`);
        if (e.width !== undefined) number(e.width, `${where}.width`);
        if (!(e.font in FONT_FILES))
          fail(`${where}.font`, `must be one of ${Object.keys(FONT_FILES).join(', ')}`);
        number(e.size, `${where}.size`);
        if (e.align !== undefined && !['left', 'center', 'right'].includes(e.align))
          fail(`${where}.align`, 'must be left, center or right');
        color(e.color, `${where}.color`);
        break;
      case 'line':
        for (const key of ['x1', 'y1', 'x2', 'y2'] as const) number(e[key], `${where}.${key}`);
        color(e.color, `${where}.color`);
        break;
      case 'image':
        image(e.file, `${where}.file`);
        number(e.x, `${where}.x`);
        number(e.y, `${where}.y`);
        number(e.width, `${where}.width`);
        break;
      case 'qr':
        if (e.value !== '{verifyUrl}') fail(`${where}.value`, 'must be "{verifyUrl}"');
        used.add('qr');
        number(e.x, `${where}.x`);
        number(e.y, `${where}.y`);
        number(e.size, `${where}.size`);
        break;
      default:
        fail(`${where}.type`, 'must be text, line, image or qr');
    }
  });
  for (const required of ['learnerName', 'serial', 'qr']) {
    if (!used.has(required))
      fail('"elements"', `must print ${required === 'qr' ? 'a qr code' : `{${required}}`}`);
  }
  return {
    id,
    name: t.name as string,
    page: page!,
    colors,
    border,
    background,
    seal,
    unitSeal,
    elements,
    folder,
  };
}

/** Every template of templates/certificates, loaded and checked once, at start. */
@Injectable()
export class CertificateTemplates {
  private readonly templates = new Map<string, CertificateTemplate>();

  constructor() {
    const folder = join(projectRoot(), 'templates', 'certificates');
    for (const file of readdirSync(folder).filter((f) => f.endsWith('.json'))) {
      const id = file.replace(/\.json$/, '');
      let raw: unknown;
      try {
        raw = JSON.parse(readFileSync(join(folder, file), 'utf8'));
      } catch (error) {
        throw new TemplateError(`Certificate template ${file}: not valid JSON (${(error as Error).message})`);
      }
      this.templates.set(id, validateTemplate(id, raw, folder));
    }
    if (!this.templates.has('default'))
      throw new TemplateError('Certificate template default.json is missing');
  }

  get(id: string): CertificateTemplate {
    return this.templates.get(id) ?? this.templates.get('default')!;
  }

  ids(): string[] {
    return [...this.templates.keys()];
  }
}
