export * from './change-request.entity';
export * from './change-requests.table';
export * from './typeorm-change-request-store';
export * from './change-request.http';
export * from './change-requests.controller';
export * from './change-requests.module';
