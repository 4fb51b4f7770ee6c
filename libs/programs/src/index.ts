export * from './program.dto';
export * from './program.entity';
export * from './program.errors';
export * from './program.repository';
export * from './program.service';
export * from './programs.module';
