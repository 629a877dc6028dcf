import 'reflect-metadata';
import { runServiceMain } from '@ap/subgraph';
import { placementService } from './server';

void runServiceMain(placementService);
