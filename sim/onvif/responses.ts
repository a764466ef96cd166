/** ONVIF device/media/PTZ response bodies (pure builders over a device description). */
import { NS, xmlEscape as x } from './soap';

export interface OnvifProfile {
  token: string;
  name: string;
  width: number;
  height: number;
  fps: number;
  gop: number;
  bitrateKbps: number;
  streamUri: string;
  snapshotUri: string;
}

export interface OnvifDevice {
  manufacturer: string;
  model: string;
  firmware: string;
  serial: string;
  hardwareId: string;
  name: string;
  location: { lat: number; lon: number };
  /** e.g. http://127.0.1.10:8000 */
  baseUrl: string;
  hasPtz: boolean;
  profiles: OnvifProfile[];
  scopes: string[];
}

export const paths = {
  device: '/onvif/device_service',
  media: '/onvif/media_service',
  ptz: '/onvif/ptz_service',
  snapshot: '/onvif/snapshot',
};

export function scopesFor(d: { name: string; location: { lat: number; lon: number }; model: string; hasPtz: boolean }): string[] {
  const s = [
    'onvif://www.onvif.org/type/video_encoder',
    'onvif://www.onvif.org/type/Network_Video_Transmitter',
    'onvif://www.onvif.org/Profile/Streaming',
    `onvif://www.onvif.org/name/${encodeURIComponent(d.name)}`,
    `onvif://www.onvif.org/hardware/${encodeURIComponent(d.model)}`,
    `onvif://www.onvif.org/location/country/china`,
    `onvif://www.onvif.org/location/lat/${d.location.lat.toFixed(6)}`,
    `onvif://www.onvif.org/location/lon/${d.location.lon.toFixed(6)}`,
  ];
  if (d.hasPtz) s.push('onvif://www.onvif.org/type/ptz');
  return s;
}

export function systemDateAndTime(now: Date): string {
  const dt = (d: Date) =>
    `<tt:Time><tt:Hour>${d.getUTCHours()}</tt:Hour><tt:Minute>${d.getUTCMinutes()}</tt:Minute><tt:Second>${d.getUTCSeconds()}</tt:Second></tt:Time>` +
    `<tt:Date><tt:Year>${d.getUTCFullYear()}</tt:Year><tt:Month>${d.getUTCMonth() + 1}</tt:Month><tt:Day>${d.getUTCDate()}</tt:Day></tt:Date>`;
  const local = new Date(now.getTime() + 8 * 3600_000);
  return (
    '<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime>' +
    '<tt:DateTimeType>NTP</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings>' +
    '<tt:TimeZone><tt:TZ>CST-8</tt:TZ></tt:TimeZone>' +
    `<tt:UTCDateTime>${dt(now)}</tt:UTCDateTime><tt:LocalDateTime>${dt(local)}</tt:LocalDateTime>` +
    '</tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>'
  );
}

export function deviceInformation(d: OnvifDevice): string {
  return (
    '<tds:GetDeviceInformationResponse>' +
    `<tds:Manufacturer>${x(d.manufacturer)}</tds:Manufacturer><tds:Model>${x(d.model)}</tds:Model>` +
    `<tds:FirmwareVersion>${x(d.firmware)}</tds:FirmwareVersion><tds:SerialNumber>${x(d.serial)}</tds:SerialNumber>` +
    `<tds:HardwareId>${x(d.hardwareId)}</tds:HardwareId></tds:GetDeviceInformationResponse>`
  );
}

export function capabilities(d: OnvifDevice): string {
  const ptz = d.hasPtz ? `<tt:PTZ><tt:XAddr>${d.baseUrl}${paths.ptz}</tt:XAddr></tt:PTZ>` : '';
  return (
    '<tds:GetCapabilitiesResponse><tds:Capabilities>' +
    `<tt:Device><tt:XAddr>${d.baseUrl}${paths.device}</tt:XAddr>` +
    '<tt:System><tt:DiscoveryResolve>false</tt:DiscoveryResolve><tt:DiscoveryBye>true</tt:DiscoveryBye>' +
    '<tt:RemoteDiscovery>false</tt:RemoteDiscovery><tt:SystemBackup>false</tt:SystemBackup>' +
    '<tt:SystemLogging>false</tt:SystemLogging><tt:FirmwareUpgrade>false</tt:FirmwareUpgrade>' +
    '<tt:SupportedVersions><tt:Major>2</tt:Major><tt:Minor>60</tt:Minor></tt:SupportedVersions></tt:System>' +
    '<tt:Security><tt:UsernameToken>true</tt:UsernameToken></tt:Security></tt:Device>' +
    `<tt:Media><tt:XAddr>${d.baseUrl}${paths.media}</tt:XAddr><tt:StreamingCapabilities>` +
    '<tt:RTPMulticast>false</tt:RTPMulticast><tt:RTP_TCP>true</tt:RTP_TCP><tt:RTP_RTSP_TCP>true</tt:RTP_RTSP_TCP>' +
    '</tt:StreamingCapabilities></tt:Media>' +
    ptz +
    '</tds:Capabilities></tds:GetCapabilitiesResponse>'
  );
}

export function services(d: OnvifDevice): string {
  const svc = (ns: string, path: string, major: number, minor: number) =>
    `<tds:Service><tds:Namespace>${ns}</tds:Namespace><tds:XAddr>${d.baseUrl}${path}</tds:XAddr>` +
    `<tds:Version><tt:Major>${major}</tt:Major><tt:Minor>${minor}</tt:Minor></tds:Version></tds:Service>`;
  return (
    '<tds:GetServicesResponse>' +
    svc(NS.tds, paths.device, 2, 60) +
    svc(NS.trt, paths.media, 2, 60) +
    (d.hasPtz ? svc(NS.tptz, paths.ptz, 2, 60) : '') +
    '</tds:GetServicesResponse>'
  );
}

export function scopes(d: OnvifDevice): string {
  return (
    '<tds:GetScopesResponse>' +
    d.scopes.map((s) => `<tds:Scopes><tt:ScopeDef>Fixed</tt:ScopeDef><tt:ScopeItem>${x(s)}</tt:ScopeItem></tds:Scopes>`).join('') +
    '</tds:GetScopesResponse>'
  );
}

const VIDEO_SOURCE = 'VideoSource_1';

export function videoSources(d: OnvifDevice): string {
  const main = d.profiles[0]!;
  return (
    `<trt:GetVideoSourcesResponse><trt:VideoSources token="${VIDEO_SOURCE}">` +
    `<tt:Framerate>${main.fps}</tt:Framerate><tt:Resolution><tt:Width>${main.width}</tt:Width>` +
    `<tt:Height>${main.height}</tt:Height></tt:Resolution></trt:VideoSources></trt:GetVideoSourcesResponse>`
  );
}

function profileXml(d: OnvifDevice, p: OnvifProfile, tag: string): string {
  const main = d.profiles[0]!;
  const ptz = d.hasPtz
    ? '<tt:PTZConfiguration token="PTZConfig_1"><tt:Name>PTZ</tt:Name><tt:UseCount>2</tt:UseCount>' +
      '<tt:NodeToken>PTZNode_1</tt:NodeToken></tt:PTZConfiguration>'
    : '';
  return (
    `<${tag} token="${p.token}" fixed="true"><tt:Name>${x(p.name)}</tt:Name>` +
    `<tt:VideoSourceConfiguration token="VideoSourceConfig_1"><tt:Name>VideoSourceConfig</tt:Name>` +
    `<tt:UseCount>2</tt:UseCount><tt:SourceToken>${VIDEO_SOURCE}</tt:SourceToken>` +
    `<tt:Bounds x="0" y="0" width="${main.width}" height="${main.height}"/></tt:VideoSourceConfiguration>` +
    `<tt:VideoEncoderConfiguration token="VideoEncoder_${p.token}"><tt:Name>${x(p.name)}</tt:Name>` +
    '<tt:UseCount>1</tt:UseCount><tt:Encoding>H264</tt:Encoding>' +
    `<tt:Resolution><tt:Width>${p.width}</tt:Width><tt:Height>${p.height}</tt:Height></tt:Resolution>` +
    '<tt:Quality>5</tt:Quality>' +
    `<tt:RateControl><tt:FrameRateLimit>${p.fps}</tt:FrameRateLimit><tt:EncodingInterval>1</tt:EncodingInterval>` +
    `<tt:BitrateLimit>${p.bitrateKbps}</tt:BitrateLimit></tt:RateControl>` +
    `<tt:H264><tt:GovLength>${p.gop}</tt:GovLength><tt:H264Profile>Main</tt:H264Profile></tt:H264>` +
    '<tt:Multicast><tt:Address><tt:Type>IPv4</tt:Type><tt:IPv4Address>0.0.0.0</tt:IPv4Address></tt:Address>' +
    '<tt:Port>0</tt:Port><tt:TTL>1</tt:TTL><tt:AutoStart>false</tt:AutoStart></tt:Multicast>' +
    '<tt:SessionTimeout>PT60S</tt:SessionTimeout></tt:VideoEncoderConfiguration>' +
    ptz +
    `</${tag}>`
  );
}

export function profiles(d: OnvifDevice): string {
  return `<trt:GetProfilesResponse>${d.profiles.map((p) => profileXml(d, p, 'trt:Profiles')).join('')}</trt:GetProfilesResponse>`;
}

export function profile(d: OnvifDevice, p: OnvifProfile): string {
  return `<trt:GetProfileResponse>${profileXml(d, p, 'trt:Profile')}</trt:GetProfileResponse>`;
}

function mediaUri(uri: string): string {
  return (
    `<trt:MediaUri><tt:Uri>${x(uri)}</tt:Uri><tt:InvalidAfterConnect>false</tt:InvalidAfterConnect>` +
    '<tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>PT0S</tt:Timeout></trt:MediaUri>'
  );
}

export function streamUri(p: OnvifProfile): string {
  return `<trt:GetStreamUriResponse>${mediaUri(p.streamUri)}</trt:GetStreamUriResponse>`;
}

export function snapshotUri(p: OnvifProfile): string {
  return `<trt:GetSnapshotUriResponse>${mediaUri(p.snapshotUri)}</trt:GetSnapshotUriResponse>`;
}

export function ptzNodes(): string {
  return (
    '<tptz:GetNodesResponse><tptz:PTZNode token="PTZNode_1" FixedHomePosition="false"><tt:Name>PTZ</tt:Name>' +
    '<tt:SupportedPTZSpaces><tt:ContinuousPanTiltVelocitySpace>' +
    '<tt:URI>http://www.onvif.org/ver10/tptz/PanTiltSpaces/VelocityGenericSpace</tt:URI>' +
    '<tt:XRange><tt:Min>-1</tt:Min><tt:Max>1</tt:Max></tt:XRange><tt:YRange><tt:Min>-1</tt:Min><tt:Max>1</tt:Max></tt:YRange>' +
    '</tt:ContinuousPanTiltVelocitySpace><tt:ContinuousZoomVelocitySpace>' +
    '<tt:URI>http://www.onvif.org/ver10/tptz/ZoomSpaces/VelocityGenericSpace</tt:URI>' +
    '<tt:XRange><tt:Min>-1</tt:Min><tt:Max>1</tt:Max></tt:XRange></tt:ContinuousZoomVelocitySpace></tt:SupportedPTZSpaces>' +
    '<tt:MaximumNumberOfPresets>0</tt:MaximumNumberOfPresets><tt:HomeSupported>false</tt:HomeSupported>' +
    '</tptz:PTZNode></tptz:GetNodesResponse>'
  );
}
