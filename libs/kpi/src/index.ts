export * from './indicators';
export * from './kpi.entities';
export * from './kpi-facts.repository';
export * from './kpi.module';
export * from './kpi.service';
export * from './period';
export * from './target.service';
export * from './kpi-workbook';
