/**
 * Demo-town placement (pure): N cameras around the county seat (~34.09 N, 119.35 E, WGS-84).
 * Road cameras on main roads and the commercial square, household cameras in two villages a few
 * km out, shopfront cameras on the pedestrian shopping street. The server enrolls the demo fleet
 * from this plan, so keep it deterministic: same n -> same plan.
 */
import type { CameraKind } from '@common/domain';

export interface OrgUnit {
  code: string;
  name: string;
  nameEn: string;
}
export interface PoliceRoom extends OrgUnit {
  stationCode: string;
}
export type PatrolArea = OrgUnit;
export interface PatrolZone extends OrgUnit {
  areaCode: string;
}
export interface Grid extends OrgUnit {
  stationCode: string;
  policeRoomCode: string;
}

export const DEMO_CENTER = { lat: 34.09, lon: 119.35 } as const;

export const DEMO_ORG = {
  stations: [
    { code: 'xinan', name: '新安派出所', nameEn: "Xin'an Police Station" },
    { code: 'qiaoxi', name: '桥西派出所', nameEn: 'Qiaoxi Police Station' },
  ] satisfies OrgUnit[],
  policeRooms: [
    { code: 'xinan-renmin', stationCode: 'xinan', name: '人民路警务室', nameEn: 'Renmin Road Police Room' },
    { code: 'xinan-liuzhuang', stationCode: 'xinan', name: '刘庄村警务室', nameEn: 'Liuzhuang Village Police Room' },
    { code: 'qiaoxi-buxingjie', stationCode: 'qiaoxi', name: '步行街警务室', nameEn: 'Pedestrian Street Police Room' },
    { code: 'qiaoxi-zhangwan', stationCode: 'qiaoxi', name: '张湾村警务室', nameEn: 'Zhangwan Village Police Room' },
  ] satisfies PoliceRoom[],
  patrolAreas: [
    { code: 'area-east', name: '城东片', nameEn: 'East Area' },
    { code: 'area-west', name: '城西片', nameEn: 'West Area' },
  ] satisfies PatrolArea[],
  patrolZones: [
    { code: 'zone-e1', areaCode: 'area-east', name: '城东一巡区', nameEn: 'East Zone 1' },
    { code: 'zone-e2', areaCode: 'area-east', name: '城东二巡区', nameEn: 'East Zone 2' },
    { code: 'zone-w1', areaCode: 'area-west', name: '城西一巡区', nameEn: 'West Zone 1' },
    { code: 'zone-w2', areaCode: 'area-west', name: '城西二巡区', nameEn: 'West Zone 2' },
  ] satisfies PatrolZone[],
  grids: [
    { code: 'grid-renmin-01', stationCode: 'xinan', policeRoomCode: 'xinan-renmin', name: '人民路第一网格', nameEn: 'Renmin Road Grid 1' },
    { code: 'grid-liuzhuang-01', stationCode: 'xinan', policeRoomCode: 'xinan-liuzhuang', name: '刘庄村网格', nameEn: 'Liuzhuang Village Grid' },
    { code: 'grid-buxingjie-01', stationCode: 'qiaoxi', policeRoomCode: 'qiaoxi-buxingjie', name: '步行街网格', nameEn: 'Pedestrian Street Grid' },
    { code: 'grid-zhangwan-01', stationCode: 'qiaoxi', policeRoomCode: 'qiaoxi-zhangwan', name: '张湾村网格', nameEn: 'Zhangwan Village Grid' },
  ] satisfies Grid[],
};

export interface DemoCameraSite {
  name: string;
  kind: CameraKind;
  lat: number;
  lon: number;
  /** Postal-style address (zh). */
  address: string;
  stationCode: string;
  policeRoomCode: string;
  patrolZoneCode: string;
  gridCode: string;
  tags: string[];
}

interface SiteTemplate {
  name: string;
  lat: number;
  lon: number;
  address: string;
}

const ROAD: SiteTemplate[] = [
  { name: '人民路与新安大道交叉口', lat: 34.0912, lon: 119.3489, address: '灌南县新安镇人民路与新安大道交叉口' },
  { name: '商业广场东入口', lat: 34.0885, lon: 119.3531, address: '灌南县新安镇商业广场东侧' },
  { name: '新安大道与长江路交叉口', lat: 34.0951, lon: 119.3490, address: '灌南县新安镇新安大道与长江路交叉口' },
  { name: '人民路与北京路交叉口', lat: 34.0913, lon: 119.3562, address: '灌南县新安镇人民路与北京路交叉口' },
  { name: '商业广场西入口', lat: 34.0884, lon: 119.3502, address: '灌南县新安镇商业广场西侧' },
  { name: '长江路汽车站路口', lat: 34.0950, lon: 119.3575, address: '灌南县新安镇长江路汽车站门前' },
];

const VILLAGES = [
  { village: '新安镇刘庄村', lat: 34.1180, lon: 119.3270, station: 'xinan', room: 'xinan-liuzhuang', zone: 'zone-w2', grid: 'grid-liuzhuang-01' },
  { village: '桥西张湾村', lat: 34.0630, lon: 119.3880, station: 'qiaoxi', room: 'qiaoxi-zhangwan', zone: 'zone-e2', grid: 'grid-zhangwan-01' },
] as const;

const SHOPS = ['便利店', '五金店', '手机店', '药店', '超市', '金店', '饭店', '服装店'];

/** Deterministic pseudo-jitter in [-1, 1) so repeated sites do not overlap. */
function jitter(i: number, salt: number): number {
  const v = Math.sin((i + 1) * 12.9898 + salt * 78.233) * 43758.5453;
  return (v - Math.floor(v)) * 2 - 1;
}

const KIND_CYCLE: CameraKind[] = ['road', 'household', 'shopfront'];

export function demoCameraPlan(n: number): DemoCameraSite[] {
  if (!Number.isInteger(n) || n < 0) throw new Error('n must be a non-negative integer');
  const counters = { road: 0, household: 0, shopfront: 0 };
  const out: DemoCameraSite[] = [];
  for (let i = 0; i < n; i += 1) {
    const kind = KIND_CYCLE[i % 3]!;
    const k = counters[kind]++;
    out.push(site(kind, k, i));
  }
  return out;
}

function site(kind: CameraKind, k: number, i: number): DemoCameraSite {
  switch (kind) {
    case 'road': {
      const t = ROAD[k % ROAD.length]!;
      const round = Math.floor(k / ROAD.length);
      const west = t.lon < DEMO_CENTER.lon;
      return {
        name: round ? `${t.name}(${round + 1}号杆)` : t.name,
        kind,
        lat: round ? t.lat + jitter(i, 1) * 0.0004 : t.lat,
        lon: round ? t.lon + jitter(i, 2) * 0.0004 : t.lon,
        address: t.address,
        stationCode: 'xinan',
        policeRoomCode: 'xinan-renmin',
        patrolZoneCode: west ? 'zone-w1' : 'zone-e1',
        gridCode: 'grid-renmin-01',
        tags: ['道路监控', t.name.includes('广场') ? '商业广场' : '主干道'],
      };
    }
    case 'household': {
      const v = VILLAGES[k % 2]!;
      const h = Math.floor(k / 2);
      const group = (h % 6) + 1;
      const no = h * 3 + 5;
      return {
        name: `${v.village}${group}组${no}号`,
        kind,
        lat: v.lat + jitter(i, 3) * 0.004,
        lon: v.lon + jitter(i, 4) * 0.004,
        address: `灌南县${v.village}${group}组${no}号`,
        stationCode: v.station,
        policeRoomCode: v.room,
        patrolZoneCode: v.zone,
        gridCode: v.grid,
        tags: ['村居监控', v.village],
      };
    }
    case 'shopfront': {
      const no = k * 2 + 2;
      const shop = SHOPS[k % SHOPS.length]!;
      return {
        name: `步行街${no}号 ${shop}`,
        kind,
        lat: 34.0868 + (k % 12) * 0.00018,
        lon: 119.3455 + (k % 2 === 0 ? 0.00012 : -0.00012),
        address: `灌南县新安镇步行街${no}号`,
        stationCode: 'qiaoxi',
        policeRoomCode: 'qiaoxi-buxingjie',
        patrolZoneCode: 'zone-w1',
        gridCode: 'grid-buxingjie-01',
        tags: ['沿街商铺', '步行街'],
      };
    }
  }
}
