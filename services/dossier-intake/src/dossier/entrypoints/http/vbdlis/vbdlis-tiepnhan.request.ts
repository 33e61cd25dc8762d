import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

// The payload one-stop systems already send to land information systems (VBDLIS `tiepnhan`, domain.md §7), with
// its field names and types. Nullable fields may be null.

export class VbdlisNguoiNopDon {
  @ApiProperty({ example: 'Võ Minh Tuấn' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  HoTen!: string;

  @ApiProperty({ example: '056085011223', description: 'Personal identification number (12 digits)' })
  @Matches(/^(\d{9}|\d{12})$/, { message: 'SoChungMinh must be 12 digits (or a 9-digit legacy number)' })
  SoChungMinh!: string;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  DiaChiChiTiet?: string | null;

  @ApiPropertyOptional({ nullable: true, example: '0935111222' })
  @IsOptional()
  @Matches(/^0\d{9,10}$/, { message: 'SoDienThoai must be a Vietnamese phone number' })
  SoDienThoai?: string | null;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  @Matches(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, { message: 'Email must be an e-mail address' })
  Email?: string | null;
}

export class VbdlisQuyTrinh {
  @ApiProperty({ example: '1.013831', description: 'Procedure code (national, or a local code of the mapping table)' })
  @IsString()
  @Matches(/^[0-9A-Za-z.]{3,40}$/, { message: 'MaQuyTrinh must be a procedure code' })
  MaQuyTrinh!: string;

  @ApiPropertyOptional({ example: 'Đăng ký biến động quyền sử dụng đất (chuyển nhượng)' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  TenQuyTrinh?: string | null;
}

export class VbdlisThuaDat {
  @ApiProperty({ example: '88' })
  @Matches(/^\d{1,6}$/, { message: 'SoThuTuThua must be digits' })
  SoThuTuThua!: string;

  @ApiProperty({ example: '15' })
  @Matches(/^\d{1,6}$/, { message: 'SoHieuBanDo must be digits' })
  SoHieuBanDo!: string;

  @ApiProperty({ example: '150.2', description: 'Area in m², as text' })
  @Matches(/^\d{1,9}([.,]\d{1,2})?$/, { message: 'DienTich must be an area in square metres, e.g. 150.2' })
  DienTich!: string;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  DiaChiChiTiet?: string | null;
}

export class VbdlisTapTin {
  @ApiProperty({ example: 'don-dang-ky-bien-dong.pdf' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  @Matches(/^[^/\\]+$/, { message: 'name must be a plain file name' })
  name!: string;

  @ApiProperty({ description: 'The file, base64' })
  @IsString()
  @Matches(/^[A-Za-z0-9+/]+={0,2}$/, { message: 'data must be base64' })
  data!: string;
}

export class VbdlisGiayTo {
  @ApiProperty({ example: 'Đơn đăng ký biến động đất đai, tài sản gắn liền với đất' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  TenGiayTo!: string;

  @ApiProperty({ example: 1 })
  @IsInt()
  @Min(0)
  @Max(100)
  SoBanChinh!: number;

  @ApiProperty({ example: 0 })
  @IsInt()
  @Min(0)
  @Max(100)
  SoBanSao!: number;

  @ApiProperty({ type: VbdlisTapTin })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => VbdlisTapTin)
  TapTin!: VbdlisTapTin;
}

export class VbdlisTiepNhanRequest {
  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  LaQuyTrinhCapTinh?: boolean | null;

  @ApiProperty({ example: 56 })
  @IsInt()
  @Min(1)
  @Max(99)
  TinhId!: number;

  @ApiPropertyOptional({ example: 0, description: 'District (abolished 1 Jul 2025); ignored' })
  @IsOptional()
  @IsInt()
  @Min(0)
  HuyenId?: number | null;

  @ApiProperty({ example: 22657 })
  @IsInt()
  @Min(1)
  @Max(99999)
  XaId!: number;

  @ApiProperty({ example: '000.00.56.H42-261123-0002', description: 'Receipt number (the one-stop dossier code)' })
  @IsString()
  @Matches(/^[0-9A-Za-z._-]{1,64}$/, { message: 'SoBienNhan must be a receipt number' })
  SoBienNhan!: string;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @Matches(/^[0-9A-Za-z._-]{1,64}$/, { message: 'MaHoSoMotCua must be a dossier code' })
  MaHoSoMotCua?: string | null;

  @ApiPropertyOptional({ example: 'Lê Thị Thu' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  NguoiTiepNhan?: string | null;

  @ApiProperty({ example: '2026-11-23T09:05:00', description: 'Local time (Asia/Ho_Chi_Minh), no offset' })
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/, {
    message: 'NgayTiepNhan must be a local date-time such as 2026-11-23T09:05:00',
  })
  NgayTiepNhan!: string;

  @ApiPropertyOptional({ example: '2026-12-03T09:05:00' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/, { message: 'NgayHenTra must be a local date-time' })
  NgayHenTra?: string | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  DiaChiTaiSan?: string | null;

  @ApiProperty({ type: VbdlisNguoiNopDon })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => VbdlisNguoiNopDon)
  ThongTinNguoiNopDon!: VbdlisNguoiNopDon;

  @ApiProperty({ type: VbdlisQuyTrinh })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => VbdlisQuyTrinh)
  ThongTinQuyTrinh!: VbdlisQuyTrinh;

  @ApiProperty({ type: [VbdlisThuaDat], description: 'Exactly one parcel in this version' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1)
  @ValidateNested({ each: true })
  @Type(() => VbdlisThuaDat)
  ThongTinThuaDat!: VbdlisThuaDat[];

  @ApiProperty({ type: [VbdlisGiayTo] })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => VbdlisGiayTo)
  DanhSachGiayToDinhKem!: VbdlisGiayTo[];
}
